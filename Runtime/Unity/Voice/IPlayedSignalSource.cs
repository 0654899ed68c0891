namespace Parley.Unity.Voice
{
    /// <summary>
    /// Something that hands its played blocks to <see cref="IPlayedSignalListener"/>s on the audio thread: an agent's
    /// voice (<see cref="AgentVoice"/>) or the listener's whole mix (<see cref="ListenerEchoTap"/>). Main thread.
    /// </summary>
    public interface IPlayedSignalSource
    {
        /// <summary>Adds a listener that sees every played block from the next one.</summary>
        void AddPlayedListener(IPlayedSignalListener listener);

        /// <summary>Removes a listener; a block being rendered may still reach it once.</summary>
        void RemovePlayedListener(IPlayedSignalListener listener);
    }
}
