using System;
using System.Threading;
using System.Threading.Tasks;

namespace Parley.Providers.Riva
{
    /// <summary>What a speech recogniser reports. Called on the stage's receive task.</summary>
    public interface IAsrListener
    {
        /// <summary>Interim text: <paramref name="delta"/> extends the current utterance's partial transcript.</summary>
        void OnPartial(string delta);

        /// <summary>
        /// A finished utterance. <paramref name="userStopTimestamp"/> is the <see cref="System.Diagnostics.Stopwatch"/>
        /// timestamp at which the audio of its last word was sent (0 when the server gave no word times).
        /// </summary>
        void OnFinal(string transcript, long userStopTimestamp);

        /// <summary>The recognition stream died; no more results will come on it.</summary>
        void OnFailed(ProviderException error);
    }

    /// <summary>
    /// The ASR stage of the cascade: a streaming recogniser with interim results and endpointing.
    /// Implemented over the NIM realtime WebSocket (<see cref="NimRealtimeAsr"/>, any platform) and over gRPC
    /// StreamingRecognize (Parley.RivaGrpc, desktop/server).
    /// </summary>
    public interface IAsrStage : IDisposable
    {
        /// <summary>Mono PCM16 rate the stage wants.</summary>
        int SampleRate { get; }

        /// <summary>Opens the recognition stream; completes when the server accepted the configuration.</summary>
        Task StartAsync(IAsrListener listener, CancellationToken cancellationToken);

        ValueTask SendAudioAsync(ReadOnlyMemory<short> pcm, CancellationToken cancellationToken);

        /// <summary>
        /// End of the player's turn (push-to-talk released): sends what is buffered and asks for the final result.
        /// The stage reopens its stream by itself on the next audio.
        /// </summary>
        Task FinishAsync(CancellationToken cancellationToken);

        Task StopAsync(CancellationToken cancellationToken);
    }
}
