using System;
using System.Threading;
using System.Threading.Tasks;
using Spectre.Console.Cli;

namespace Parley.Cli.Commands
{
    /// <summary>`parley emulator`: the OpenAI Realtime emulator as a standalone loopback server.</summary>
    public sealed class EmulatorCommand : AsyncCommand<EmulatorSettings>
    {
        public override async Task<int> ExecuteAsync(CommandContext context, EmulatorSettings s, CancellationToken cancellationToken)
        {
            s.Check();
            var port = s.Port.Value;
            if (!System.Net.IPAddress.TryParse(s.Host, out var ip) || !System.Net.IPAddress.IsLoopback(ip))
                throw new CliError("--host must be a loopback address (127.0.0.1 or ::1); the emulator never listens on a network.");
            // Lenient with what clients send (any SDK's extra fields), strict in what it answers.
            var options = new Parley.Servers.OpenAI.OpenAIRealtimeEmulatorOptions { Strict = false, PlaybackSpeed = 1 };
            await using (var emulator = await Parley.Servers.OpenAI.OpenAIRealtimeEmulator.StartAsync(options, port, ip))
            {
                Console.WriteLine("parley emulator: OpenAI Realtime GA on " + emulator.Uri + " (Ctrl+C to stop)");
                try { await Task.Delay(Timeout.Infinite, cancellationToken); }
                catch (OperationCanceledException) { }
            }
            return 0;
        }
    }
}
