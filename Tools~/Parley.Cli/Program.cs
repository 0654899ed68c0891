using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Parley.Cli.Commands;
using Parley.Providers;
using Parley.Transport;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Parley.Cli
{
    public static class Program
    {
        /// <summary>
        /// Every subcommand: one line each (a settings class, a command class, this line).
        /// </summary>
        static void AddCommands(IConfigurator config)
        {
            Names.Clear();
            Add<TalkCommand>(config, "talk", Talk).WithExample("talk", "--fast", "--output", "out~/reply.wav");
            Add<SceneCommand>(config, "scene", Scene).WithExample("scene", "--fast", "--output", "out~/heard.wav");
            Add<ResampleCommand>(config, "resample", "Resample a WAV file with the package's resampler (the output keeps the input's duration and timing).");
            Add<AecCommand>(config, "aec", "Cancel the echo of what was played (--ref) in a microphone recording (--mic) with the package's echo canceller; output at the mic's rate, aligned with it.");
            Add<EmulatorCommand>(config, "emulator", "The OpenAI Realtime emulator as a standalone loopback server: ws://HOST:N/v1/realtime (server VAD, streamed replies, tool calls, interruption) until Ctrl+C.");

            // scan-keys (issue 12)
            Add<ScanKeysCommand>(config, "scan-keys", "Scan a Unity project or folder for OpenAI, Google, NVIDIA and bearer keys: one line per finding, masked; exit 1 if any.");

            // vad (issue 12 helper; voice activity from Parley.Onnx)
            Add<VadCommand>(config, "vad", "Speech segments of a WAV file (Silero or energy VAD) as CSV: start_ms,end_ms.");
            Add<VisemesCommand>(config, "visemes", "Lipsync visemes of a speech WAV as CSV: `ms` then one column per viseme or blend shape of --set (oculus, arkit, vrm, rhubarb), a row per 10 ms hop.");
        }

        /// <summary>The registered names, for "did you mean" on a mistyped command.</summary>
        static readonly List<string> Names = new List<string>();

        static ICommandConfigurator Add<TCommand>(IConfigurator config, string name, string description) where TCommand : class, ICommand
        {
            Names.Add(name);
            return config.AddCommand<TCommand>(name).WithDescription(description);
        }

        const string Talk = "A conversation: a WAV file streamed in real time (or --fast) as the player's microphone; the agent's reply plays on a "
                            + "virtual speaker clocked like a sound card. Without --provider, a built-in OpenAI Realtime emulator answers on a loopback socket, offline.";

        const string Scene = "The real Unity components (VoiceAgent, MicrophoneCapture, AgentVoice on an AudioSource) in a simulated player: the WAV plays "
                             + "into a simulated microphone device, the AudioListener's output is recorded. Every option of talk, plus the player's devices, frame rate and an unplug.";

        public static int Main(string[] args) => Run(args, Console.Out, Console.Error);

        /// <summary>The whole CLI, with its streams injectable (tests run it in-process too).</summary>
        public static int Run(string[] args, System.IO.TextWriter stdout, System.IO.TextWriter stderr)
        {
            var verbose = args.Contains("--verbose");
            var rest = args.Where(a => a != "--verbose").ToArray();
            // `parley help [command]` as `parley [command] --help`.
            if (rest.Length > 0 && rest[0] == "help") rest = rest.Skip(1).Append("--help").ToArray();
            Console.SetOut(stdout);
            Console.SetError(stderr);
            var app = new CommandApp();
            app.Configure(config =>
            {
                config.SetApplicationName("parley");
                config.ConfigureConsole(AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(stdout) }));
                config.SetHelpProvider(new ParleyHelp(config.Settings));
                // Lenient parsing hands unknown options to UnknownOptionCheck, which knows the command's options.
                config.Settings.StrictParsing = false;
                config.SetInterceptor(new UnknownOptionCheck());
                config.PropagateExceptions();
                AddCommands(config);
            });
            using (var cts = new CancellationTokenSource())
            {
                ConsoleCancelEventHandler onCancel = (s, e) => { e.Cancel = true; cts.Cancel(); };
                Console.CancelKeyPress += onCancel;
                // A service manager or `timeout` stops us with SIGTERM: end as cleanly as on Ctrl+C.
                using var onTerm = System.Runtime.InteropServices.PosixSignalRegistration.Create(
                    System.Runtime.InteropServices.PosixSignal.SIGTERM, ctx => { ctx.Cancel = true; cts.Cancel(); });
                try
                {
                    // No command: the help, as a usage error.
                    if (rest.Length == 0) return app.Run(new[] { "--help" }, cts.Token) == ExitCodes.Ok ? ExitCodes.Usage : ExitCodes.Failed;
                    return app.Run(rest, cts.Token);
                }
                catch (Exception e)
                {
                    var (message, code) = Describe(ParseErrors.Reword(e, rest, Names));
                    var command = rest.Length > 0 && Names.Contains(rest[0]) ? " " + rest[0] : "";
                    stderr.WriteLine("parley" + command + ": " + message);
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
                // Spectre.Console.Cli's own parse and binding errors: an unknown command, a missing or malformed value.
                case CommandAppException c: return (c.Message, ExitCodes.Usage);
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
    }
}
