using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Parley.Cli.Talk;
using Parley.Session;
using Parley.Session.Recording;
using Spectre.Console.Cli;

namespace Parley.Cli.Commands
{
    /// <summary>`parley talk`: a conversation with a WAV file as the microphone and a virtual speaker.</summary>
    public sealed class TalkCommand : AsyncCommand<TalkOptions>
    {
        public override async Task<int> ExecuteAsync(CommandContext context, TalkOptions o, CancellationToken cancellationToken)
        {
            o.Check();

            var input = o.Input != null ? WavFile.Read(o.Input, "input") : BundledAudio.Conversation();
            WavFile bargeIn = null;
            if (o.BargeInAtMs >= 0) bargeIn = o.BargeInWav != null ? WavFile.Read(o.BargeInWav, "barge-in") : BundledAudio.BargeIn();

            var impulse = o.Echo != null ? WavFile.Read(o.Echo, "impulse response") : null;

            var registry = new Parley.Session.Tools.ToolRegistry();
            if (o.ToolsFile != null) ToolsFile.Load(o.ToolsFile, registry);

            await using var connection = await ProviderCatalog.CreateAsync(o, Console.Error, cancellationToken);
            SessionRecorder recorder = null;
            Func<Parley.Providers.IVoiceProvider> factory = connection.Factory;
            if (o.Record != null)
            {
                try { recorder = SessionRecorder.ToFile(o.Record); }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException) { throw new CliError("Cannot write the recording '" + o.Record + "': " + e.Message, ExitCodes.BadInput); }
                var inner = factory;
                factory = () => new RecordingProvider(inner(), recorder);
            }
            try
            {
                var runner = new TalkRunner(o, input, bargeIn, registry, factory, connection, impulse);
                return await runner.RunAsync(cancellationToken);
            }
            finally { recorder?.Dispose(); }
        }
    }
}
