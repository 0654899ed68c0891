using System;
using System.ComponentModel;
using System.IO;
using Spectre.Console.Cli;

namespace Parley.Cli.Commands
{
    /// <summary>
    /// `parley talk`'s settings: what Spectre.Console.Cli binds from the command line (and lists in --help), then
    /// <see cref="Check"/>ed. `parley scene` takes all of them (<see cref="SceneOptions"/> derives from this class).
    /// </summary>
    public partial class TalkOptions : CommandSettings
    {
        // Input and output
        [CommandOption("--input <FILE>"), Description("player audio (any PCM/float WAV; default: the bundled conversation); scene: what the microphone hears")]
        public string Input { get; set; }
        [CommandOption("--barge-in-at <MS>"), DefaultValue(-1), Description("mix a second utterance into the input at MS, an interruption (-1: none)")]
        public int BargeInAtMs { get; set; }
        [CommandOption("--barge-in-wav <FILE>"), Description("that utterance (default: the bundled \"Wait, stop, I changed my mind.\")")]
        public string BargeInWav { get; set; }
        [CommandOption("--output <FILE>"), Description("what the virtual speaker played, on its real-time clock (16-bit WAV); scene: what the AudioListener heard")]
        public string Output { get; set; }
        [CommandOption("--events <FILE>"), Description("one JSON object per session event (Documentation~/cli.md)")]
        public string Events { get; set; }
        [CommandOption("--metrics <FILE>"), Description("per-turn and session metrics as JSON")]
        public string Metrics { get; set; }
        [CommandOption("--record <FILE>"), Description("record the provider connection for replay")]
        public string Record { get; set; }
        [CommandOption("--replay <FILE>"), Description("play back a recording made with --record (implies --provider replay)")]
        public string Replay { get; set; }
        [CommandOption("--fast"), Description("run faster than real time (--speed, waiting for the server)")]
        public bool Fast { get; set; }
        [CommandOption("--speed <N>"), Description("timeline speed, 1 to 1000 (default: 1, or 8 with --fast; above 1 implies --fast)")]
        public double Speed { get; set; }
        [CommandOption("--engine-rate <HZ>"), DefaultValue(48000), Description("virtual speaker and microphone rate, 8000 to 192000; scene: the output rate, as --output-rate")]
        public int EngineRate { get; set; }
        [CommandOption("--tail-ms <MS>"), DefaultValue(20000), Description("after the input ends, wait up to MS for the last reply")]
        public int TailMs { get; set; }
        [CommandOption("--max-seconds <S>"), DefaultValue(600.0), Description("hard stop after S seconds of timeline, 1 to 7200")]
        public double MaxSeconds { get; set; }
        [CommandOption("--quiet"), Description("no status line or summary")]
        public bool Quiet { get; set; }

        // Provider
        [CommandOption("--provider <NAME>"), DefaultValue("emulator"), Description("emulator (built in, offline), openai, gemini, riva, minicpmo or replay")]
        public string Provider { get; set; }
        [CommandOption("--url <URL>"), Description("server base or full WebSocket URL (openai, gemini); demo server base URL (minicpmo)")]
        public string Url { get; set; }
        [CommandOption("--model <NAME>"), Description("the provider's model (default: the provider's own)")]
        public string Model { get; set; }
        [CommandOption("--voice <NAME>"), Description("the agent's voice (default: the provider's own)")]
        public string Voice { get; set; }
        [CommandOption("--instructions <TEXT>"), Description("system instructions for the agent")]
        public string Instructions { get; set; }
        [CommandOption("--turn <MODE>"), DefaultValue("server-vad"), Description("server-vad or semantic-vad")]
        public string Turn { get; set; }
        [CommandOption("--api-key-env <NAME>"), Description("environment variable holding the key (default: OPENAI_API_KEY, GEMINI_API_KEY)")]
        public string ApiKeyEnv { get; set; }
        [CommandOption("--token-url <URL>"), Description("fetch an ephemeral token from your backend instead of reading a key")]
        public string TokenUrl { get; set; }
        [CommandOption("--token-auth-env <NAME>"), Description("environment variable holding the player token sent to --token-url as Authorization: Bearer")]
        public string TokenAuthEnv { get; set; }
        [CommandOption("--tools <FILE>"), Description("JSON array of {\"name\",\"description\",\"parameters\"}; each call answers {\"ok\": true}")]
        public string ToolsFile { get; set; }
        [CommandOption("--asr-url <URL>"), Description("riva: the ASR server")]
        public string AsrUrl { get; set; }
        [CommandOption("--tts-url <URL>"), Description("riva: the TTS server")]
        public string TtsUrl { get; set; }
        [CommandOption("--llm-url <URL>"), Description("riva: OpenAI-compatible chat completions, e.g. http://127.0.0.1:8000/v1")]
        public string LlmUrl { get; set; }
        [CommandOption("--llm-model <NAME>"), Description("riva: the LLM's model (default: --model)")]
        public string LlmModel { get; set; }
        [CommandOption("--riva-transport <T>"), DefaultValue("grpc"), Description("riva: grpc or websocket (Speech NIM realtime)")]
        public string RivaTransport { get; set; }
        /// <summary>NVIDIA cloud functions: the per-model function id of the ASR and TTS (gRPC "function-id" metadata).</summary>
        [CommandOption("--asr-function-id <ID>"), Description("riva over grpc: NVIDIA cloud functions id of the ASR model")]
        public string AsrFunctionId { get; set; }
        [CommandOption("--tts-function-id <ID>"), Description("riva over grpc: NVIDIA cloud functions id of the TTS model")]
        public string TtsFunctionId { get; set; }
        [CommandOption("--insecure"), Description("allow plain ws:// and http:// to a non-loopback host (your own network)")]
        public bool Insecure { get; set; }

        [CommandOption("--context-at <MS:TEXT>"), Description("give the agent game context at MS on the timeline, without a reply (repeatable)")]
        public string[] ContextAt { get; set; }
        /// <summary><see cref="ContextAt"/> parsed and in timeline order (filled by <see cref="Check"/>).</summary>
        public readonly System.Collections.Generic.List<(double Ms, string Text)> ContextNotes = new System.Collections.Generic.List<(double, string)>();

        public static readonly string[] Providers = { "emulator", "openai", "gemini", "riva", "minicpmo", "replay" };

        /// <summary>Ranges, choices, input files and output places, each with its exit code; fills in what depends on other options.</summary>
        public void Check()
        {
            Provider = Provider.ToLowerInvariant();
            Turn = Turn.ToLowerInvariant();
            RivaTransport = RivaTransport.ToLowerInvariant();
            if (BargeInAtMs != -1) CliError.Range("--barge-in-at", BargeInAtMs, 0, 3600000);
            CliError.Range("--engine-rate", EngineRate, 8000, 192000);
            CliError.Range("--tail-ms", TailMs, 0, 600000);
            CliError.Range("--max-seconds", MaxSeconds, 1, 7200);
            if (Speed == 0) Speed = Fast ? 8 : 1;
            CliError.Range("--speed", Speed, 1, 1000);
            if (Speed > 1) Fast = true;
            if (Array.IndexOf(Providers, Provider) < 0)
                throw new CliError("Unknown provider '" + Provider + "'. Use --provider " + string.Join("|", Providers) + " (no --provider: the built-in emulator).");
            if (Turn != "server-vad" && Turn != "semantic-vad")
                throw new CliError("--turn must be server-vad or semantic-vad for a WAV conversation (got '" + Turn + "').");
            if (RivaTransport != "grpc" && RivaTransport != "websocket")
                throw new CliError("--riva-transport must be grpc or websocket (got '" + RivaTransport + "').");
            if ((AsrFunctionId != null || TtsFunctionId != null) && RivaTransport != "grpc")
                throw new CliError("--asr-function-id and --tts-function-id are gRPC metadata for NVIDIA cloud functions; use them with --riva-transport grpc.");
            if (Provider == "replay" && Replay == null)
                throw new CliError("--provider replay needs --replay FILE (a recording made with --record).");
            if (Replay != null && Provider != "replay") Provider = "replay";
            if (Replay != null && !File.Exists(Replay))
                throw new CliError("The recording '" + Replay + "' does not exist; make one with `parley talk --record FILE`.", ExitCodes.BadInput);
            if (ToolsFile != null && !File.Exists(ToolsFile))
                throw new CliError("The tools file '" + ToolsFile + "' does not exist; give a JSON array of {\"name\",\"description\",\"parameters\"}.", ExitCodes.BadInput);
            foreach (var note in ContextAt ?? Array.Empty<string>())
            {
                var colon = note.IndexOf(':');
                if (colon <= 0 || colon == note.Length - 1 || !int.TryParse(note.Substring(0, colon), out var ms) || ms < 0 || ms > 3600000)
                    throw new CliError("--context-at takes MS:TEXT with MS from 0 to 3600000 and some text, e.g. --context-at \"1500:The player holds a lantern.\" (got '" + note + "').");
                ContextNotes.Add((ms, note.Substring(colon + 1)));
            }
            ContextNotes.Sort((a, b) => a.Ms.CompareTo(b.Ms));
            CheckFrontEnd();
            Output = OutputPath.Prepare("--output", Output);
            Events = OutputPath.Prepare("--events", Events);
            Metrics = OutputPath.Prepare("--metrics", Metrics);
            Record = OutputPath.Prepare("--record", Record);
        }
    }
}
