using System;
using System.IO;

namespace Parley.Cli.Commands
{
    /// <summary>Everything `parley talk` reads from its command line, validated.</summary>
    public sealed class TalkOptions
    {
        public string Input;
        public string Provider;
        public string Url;
        public string Model;
        public string Voice;
        public string Instructions;
        public string ApiKeyEnv;
        public string TokenUrl;
        public string ToolsFile;
        public string AsrUrl, TtsUrl, LlmUrl, LlmModel, RivaTransport;
        /// <summary>NVIDIA cloud functions: the per-model function id of the ASR and TTS (gRPC "function-id" metadata).</summary>
        public string AsrFunctionId, TtsFunctionId;
        public int BargeInAtMs = -1;
        public string BargeInWav;
        public string Output;
        public string Events;
        public string Metrics;
        public string Record;
        public string Replay;
        public bool Fast;
        public double Speed;
        public bool Insecure;
        public string Turn;
        public int EngineRate;
        public int TailMs;
        public double MaxSeconds;
        public bool Quiet;

        public static readonly string[] Flags = { "fast", "insecure", "quiet" };
        public static readonly string[] Providers = { "emulator", "openai", "gemini", "riva", "minicpmo", "replay" };

        public static TalkOptions Parse(CommandLine a)
        {
            var o = new TalkOptions
            {
                Input = a.Get("input"),
                Provider = a.Get("provider", "emulator").ToLowerInvariant(),
                Url = a.Get("url"),
                Model = a.Get("model"),
                Voice = a.Get("voice"),
                Instructions = a.Get("instructions"),
                ApiKeyEnv = a.Get("api-key-env"),
                TokenUrl = a.Get("token-url"),
                ToolsFile = a.Get("tools"),
                AsrUrl = a.Get("asr-url"),
                TtsUrl = a.Get("tts-url"),
                LlmUrl = a.Get("llm-url"),
                LlmModel = a.Get("llm-model"),
                RivaTransport = a.Get("riva-transport", "grpc").ToLowerInvariant(),
                AsrFunctionId = a.Get("asr-function-id"),
                TtsFunctionId = a.Get("tts-function-id"),
                BargeInAtMs = a.Int("barge-in-at", -1, 0, 3600000),
                BargeInWav = a.Get("barge-in-wav"),
                Output = a.Get("output"),
                Events = a.Get("events"),
                Metrics = a.Get("metrics"),
                Record = a.Get("record"),
                Replay = a.Get("replay"),
                Fast = a.Flag("fast"),
                Insecure = a.Flag("insecure"),
                Quiet = a.Flag("quiet"),
                Turn = a.Get("turn", "server-vad").ToLowerInvariant(),
                EngineRate = a.Int("engine-rate", 48000, 8000, 192000),
                TailMs = a.Int("tail-ms", 20000, 0, 600000),
                MaxSeconds = a.Double("max-seconds", 600, 1, 7200),
            };
            o.Speed = a.Double("speed", o.Fast ? 8 : 1, 1, 1000);
            if (o.Speed > 1) o.Fast = true;
            if (Array.IndexOf(Providers, o.Provider) < 0)
                throw new CliError("Unknown provider '" + o.Provider + "'. Use --provider " + string.Join("|", Providers) + " (no --provider: the built-in emulator).");
            if (o.Turn != "server-vad" && o.Turn != "semantic-vad")
                throw new CliError("--turn must be server-vad or semantic-vad for a WAV conversation (got '" + o.Turn + "').");
            if (o.RivaTransport != "grpc" && o.RivaTransport != "websocket")
                throw new CliError("--riva-transport must be grpc or websocket (got '" + o.RivaTransport + "').");
            if ((o.AsrFunctionId != null || o.TtsFunctionId != null) && o.RivaTransport != "grpc")
                throw new CliError("--asr-function-id and --tts-function-id are gRPC metadata for NVIDIA cloud functions; use them with --riva-transport grpc.");
            if (o.Provider == "replay" && o.Replay == null)
                throw new CliError("--provider replay needs --replay FILE (a recording made with --record).");
            if (o.Replay != null && o.Provider != "replay") o.Provider = "replay";
            if (o.Replay != null && !File.Exists(o.Replay))
                throw new CliError("The recording '" + o.Replay + "' does not exist; make one with `parley talk --record FILE`.", ExitCodes.BadInput);
            if (o.ToolsFile != null && !File.Exists(o.ToolsFile))
                throw new CliError("The tools file '" + o.ToolsFile + "' does not exist; give a JSON array of {\"name\",\"description\",\"parameters\"}.", ExitCodes.BadInput);
            return o;
        }
    }
}
