namespace Parley.Session.Audio
{
    /// <summary>Which echo canceller cleans the microphone (reported to the app: issue 13 item 7).</summary>
    public enum ActiveEchoCanceller
    {
        /// <summary>None: the agent's voice reaches the provider as the microphone heard it.</summary>
        None,
        /// <summary>Parley's own <see cref="EchoCanceller"/> on the played signal.</summary>
        Parley,
        /// <summary>The platform's voice-communication capture cancels it (Android, iOS, browsers); Parley's is off.</summary>
        Platform,
    }
}
