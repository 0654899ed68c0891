using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Parley.Cli.Commands;
using Parley.Providers;
using Parley.Session.Recording;
using Parley.Session.Tools;

namespace Parley.Cli.Talk
{
    /// <summary>
    /// What `talk` and `scene` set up the same way from <see cref="TalkOptions"/>: the player's audio (--input, the
    /// barge-in utterance), the tools (--tools), the provider connection (--provider …) and its recorder (--record).
    /// </summary>
    sealed class TalkSetup : IAsyncDisposable
    {
        public WavFile Input;
        /// <summary>The --barge-in-at utterance, or null.</summary>
        public WavFile BargeIn;
        public ToolRegistry Tools;
        public ProviderConnection Connection;
        /// <summary>The connection's factory, wrapped by the recorder with --record.</summary>
        public Func<IVoiceProvider> Factory;
        SessionRecorder _recorder;

        /// <summary>End of the player's audio, the barge-in included, in ms.</summary>
        public double InputEndMs(TalkOptions o) => Math.Max(Input.DurationMs, BargeIn != null ? o.BargeInAtMs + BargeIn.DurationMs : 0);

        /// <summary>Reads the inputs and tools, then connects the provider catalog (<paramref name="o"/> is Checked already).</summary>
        public static async Task<TalkSetup> CreateAsync(TalkOptions o, CancellationToken ct)
        {
            var s = new TalkSetup { Tools = new ToolRegistry() };
            s.Input = o.Input != null ? WavFile.Read(o.Input, "input") : BundledAudio.Conversation();
            if (o.BargeInAtMs >= 0) s.BargeIn = o.BargeInWav != null ? WavFile.Read(o.BargeInWav, "barge-in") : BundledAudio.BargeIn();
            if (o.ToolsFile != null) ToolsFile.Load(o.ToolsFile, s.Tools);

            s.Connection = await ProviderCatalog.CreateAsync(o, Console.Error, ct);
            s.Factory = s.Connection.Factory;
            if (o.Record != null)
            {
                try { s._recorder = SessionRecorder.ToFile(o.Record); }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                {
                    await s.DisposeAsync();
                    throw new CliError("Cannot write the recording '" + o.Record + "': " + e.Message, ExitCodes.BadInput);
                }
                var inner = s.Factory;
                var recorder = s._recorder;
                s.Factory = () => new RecordingProvider(inner(), recorder);
            }
            return s;
        }

        public async ValueTask DisposeAsync()
        {
            _recorder?.Dispose();
            if (Connection != null) await Connection.DisposeAsync();
        }
    }
}
