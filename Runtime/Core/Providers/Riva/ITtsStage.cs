using System;
using System.Threading;
using System.Threading.Tasks;

namespace Parley.Providers.Riva
{
    /// <summary>Receives synthesized audio. Called on the stage's receive task; the span is valid only during the call.</summary>
    public interface ITtsSink
    {
        void OnAudio(ReadOnlySpan<short> pcm);

        /// <summary>All audio of the oldest phrase not yet completed has been delivered (marks phrase boundaries for truncation).</summary>
        void OnPhraseDone();
    }

    /// <summary>One reply's synthesis: phrases go in as the LLM produces them, audio comes out as it is ready.</summary>
    public interface ITtsStream : IDisposable
    {
        /// <summary>Queues one phrase for synthesis. Phrases are spoken in call order.</summary>
        Task SpeakAsync(string phrase, CancellationToken cancellationToken);

        /// <summary>No more phrases: completes when every phrase's audio has been delivered.</summary>
        Task CompleteAsync(CancellationToken cancellationToken);

        /// <summary>Interruption: stop at once and drop what is not delivered (closing the stream tells the server).</summary>
        void Abort();
    }

    /// <summary>
    /// The TTS stage of the cascade. Implemented over the NIM realtime WebSocket (<see cref="NimRealtimeTts"/>)
    /// and over gRPC SynthesizeOnline (Parley.RivaGrpc).
    /// </summary>
    public interface ITtsStage : IDisposable
    {
        /// <summary>Mono PCM16 rate of the audio delivered to the sink.</summary>
        int SampleRate { get; }

        Task<ITtsStream> OpenAsync(ITtsSink sink, CancellationToken cancellationToken);
    }
}
