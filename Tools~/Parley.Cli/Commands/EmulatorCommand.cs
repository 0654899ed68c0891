using System;
using System.Threading;
using System.Threading.Tasks;

namespace Parley.Cli.Commands
{
    /// <summary>`parley emulator`: the OpenAI Realtime emulator as a standalone loopback server.</summary>
    public sealed class EmulatorCommand : ICommand
    {
        public string Name => "emulator";
        public string Summary => "the OpenAI Realtime emulator as a standalone loopback server";
        public string[] Flags => new string[0];
        public string Usage => string.Join(Environment.NewLine,
            "Usage: parley emulator --port N [--host 127.0.0.1]",
            "",
            "Serves OpenAI Realtime GA on ws://HOST:N/v1/realtime (server VAD, streamed replies, tool calls,",
            "interruption) until Ctrl+C. Loopback addresses only.");

        public async Task<int> RunAsync(CommandLine args, CancellationToken cancellationToken)
        {
            var port = args.Int("port", -1, 0, 65535);
            var host = args.Get("host", "127.0.0.1");
            args.RejectUnknown(Name);
            if (port < 0) throw new CliError("--port N is required (0 picks a free port).");
            if (!System.Net.IPAddress.TryParse(host, out var ip) || !System.Net.IPAddress.IsLoopback(ip))
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
