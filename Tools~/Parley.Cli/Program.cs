using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Parley.Cli.Commands;
using Parley.Providers;
using Parley.Transport;

namespace Parley.Cli
{
    public static class Program
    {
        /// <summary>Every subcommand; vad, aec and visemes join here.</summary>
        static readonly ICommand[] Commands =
        {
            new TalkCommand(),
            new ResampleCommand(),
            new EmulatorCommand(),
        };

        public static int Main(string[] args) => Run(args, Console.Out, Console.Error);

        /// <summary>The whole CLI, with its streams injectable (tests run it in-process too).</summary>
        public static int Run(string[] args, System.IO.TextWriter stdout, System.IO.TextWriter stderr)
        {
            var verbose = args.Contains("--verbose");
            var rest = args.Where(a => a != "--verbose").ToArray();
            Console.SetOut(stdout);
            Console.SetError(stderr);
            if (rest.Length == 0 || rest[0] == "--help" || rest[0] == "-h" || rest[0] == "help")
            {
                stdout.WriteLine(MainUsage());
                return rest.Length == 0 ? ExitCodes.Usage : ExitCodes.Ok;
            }
            var command = Commands.FirstOrDefault(c => c.Name == rest[0]);
            if (command == null)
            {
                stderr.WriteLine("parley: unknown command '" + rest[0] + "'. Commands: " + string.Join(", ", Commands.Select(c => c.Name)) + ". Run `parley --help`.");
                return ExitCodes.Usage;
            }
            if (rest.Skip(1).Any(a => a == "--help" || a == "-h"))
            {
                stdout.WriteLine(command.Usage);
                return ExitCodes.Ok;
            }
            using (var cts = new CancellationTokenSource())
            {
                ConsoleCancelEventHandler onCancel = (s, e) => { e.Cancel = true; cts.Cancel(); };
                Console.CancelKeyPress += onCancel;
                // A service manager or `timeout` stops us with SIGTERM: end as cleanly as on Ctrl+C.
                using var onTerm = System.Runtime.InteropServices.PosixSignalRegistration.Create(
                    System.Runtime.InteropServices.PosixSignal.SIGTERM, ctx => { ctx.Cancel = true; cts.Cancel(); });
                try
                {
                    var line = new CommandLine(rest.Skip(1), new HashSet<string>(command.Flags));
                    return command.RunAsync(line, cts.Token).GetAwaiter().GetResult();
                }
                catch (Exception e)
                {
                    var (message, code) = Describe(e);
                    stderr.WriteLine("parley " + command.Name + ": " + message);
                    if (verbose) stderr.WriteLine(e.ToString());
                    return code;
                }
                finally { Console.CancelKeyPress -= onCancel; }
            }
        }

        const string CheckUrls = " Check --url (the cascades: --asr-url, --tts-url, --llm-url) and that the server is running.";

        /// <summary>One line and an exit code for every failure the CLI can meet.</summary>
        static (string, int) Describe(Exception e)
        {
            switch (e)
            {
                case CliError c: return (c.Message, c.ExitCode);
                case OperationCanceledException _: return ("cancelled.", ExitCodes.Interrupted);
                case Parley.Session.SessionConfigurationException s: return (s.Message, ExitCodes.Usage);
                case TransportException t when t.Kind == TransportErrorKind.InsecureRefused:
                    return (t.Message + " With parley: --insecure.", ExitCodes.Unreachable);
                case TransportException t:
                    return (t.Message + CheckUrls, t.HttpStatus == 401 || t.HttpStatus == 403 ? ExitCodes.Auth : ExitCodes.Unreachable);
                case ProviderException p when p.Kind == ProviderErrorKind.Authentication && p.Code == "credential_source_failed":
                    return ("could not get a credential: " + p.Message + " Check --token-url and that your backend is running.", ExitCodes.Auth);
                case ProviderException p when p.Kind == ProviderErrorKind.Authentication:
                    return ("the server refused the credentials (" + p.Code + "): " + p.Message + " Check the key variable or --token-url.", ExitCodes.Auth);
                case ProviderException p when p.Kind == ProviderErrorKind.Transport || p.Kind == ProviderErrorKind.Stalled:
                    return ("could not reach the server: " + p.Message + CheckUrls, ExitCodes.Unreachable);
                case ProviderException p:
                    return ("the provider failed (" + p.Kind + " " + p.Code + "): " + p.Message, ExitCodes.Failed);
                case AggregateException a when a.InnerExceptions.Count == 1: return Describe(a.InnerException);
                default:
                    return ("unexpected " + e.GetType().Name + ": " + e.Message + " (run with --verbose for details)", ExitCodes.Failed);
            }
        }

        static string MainUsage()
        {
            var lines = new List<string>
            {
                "parley — the Parley voice agent engine without Unity",
                "",
                "Usage: parley <command> [options]     (parley <command> --help for its options)",
                "",
                "Commands:",
            };
            foreach (var c in Commands) lines.Add("  " + c.Name.PadRight(10) + c.Summary);
            lines.Add("");
            lines.Add("Global: --verbose prints stack traces on errors.");
            return string.Join(Environment.NewLine, lines);
        }
    }
}
