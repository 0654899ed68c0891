using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Parley.Cli.Talk;
using Parley.Session;
using Parley.Session.Recording;

namespace Parley.Cli.Commands
{
    /// <summary>`parley talk`: a conversation with a WAV file as the microphone and a virtual speaker.</summary>
    public sealed class TalkCommand : ICommand
    {
        public string Name => "talk";
        public string Summary => "a conversation: WAV in as the microphone, reply out through a virtual speaker";
        public string[] Flags => TalkOptions.Flags;

        public string Usage => string.Join(Environment.NewLine,
            "Usage: parley talk [--input in.wav] [--provider emulator|openai|gemini|riva|minicpmo] [options]",
            "",
            "Streams the WAV in real time (or --fast) as the player's microphone; the agent's reply plays on a",
            "virtual speaker clocked like a sound card. Without --provider, a built-in OpenAI Realtime emulator",
            "answers on a loopback socket, offline.",
            "",
            "Input and output:",
            "  --input FILE          player audio (any PCM/float WAV; default: the bundled conversation)",
            "  --barge-in-at MS      mix a second utterance into the input at MS (an interruption)",
            "  --barge-in-wav FILE   that utterance (default: the bundled \"Wait, stop, I changed my mind.\")",
            "  --output FILE         what the virtual speaker played, on its real-time clock (16-bit WAV)",
            "  --events FILE         one JSON object per session event (see Documentation~/cli.md)",
            "  --metrics FILE        per-turn and session metrics as JSON",
            "  --record FILE         record the provider connection for replay (--provider replay --replay FILE)",
            "  --fast                run faster than real time (--speed N, default 8; waits for the server)",
            "  --engine-rate HZ      virtual speaker / microphone rate (default 48000)",
            "  --tail-ms MS          after the input ends, wait up to MS for the last reply (default 20000)",
            "  --quiet               no status line or summary",
            "",
            "Provider:",
            "  --url URL             server base or full WebSocket URL (openai, gemini); demo server base URL (minicpmo)",
            "  --model, --voice, --instructions TEXT",
            "  --turn server-vad|semantic-vad",
            "  --api-key-env NAME    environment variable holding the key (default OPENAI_API_KEY / GEMINI_API_KEY)",
            "  --token-url URL       fetch an ephemeral token from your backend instead of a key",
            "  --tools FILE          JSON array of {\"name\",\"description\",\"parameters\"}; each answers {\"ok\": true}",
            "  --asr-url, --tts-url, --llm-url URL, --llm-model NAME, --riva-transport grpc|websocket   (riva cascade)",
            "  --asr-function-id, --tts-function-id ID   NVIDIA cloud functions (grpc.nvcf.nvidia.com:443) per-model ids",
            "  --insecure            allow plain ws:// / http:// to a non-loopback host (a server on your own network)",
            "",
            "Exit codes: 0 ok, 1 failed, 2 usage, 3 bad input file, 4 credentials, 5 unreachable.");

        public async Task<int> RunAsync(CommandLine args, CancellationToken cancellationToken)
        {
            var o = TalkOptions.Parse(args);
            args.RejectUnknown(Name);

            var input = o.Input != null ? WavFile.Read(o.Input, "input") : BundledAudio.Conversation();
            WavFile bargeIn = null;
            if (o.BargeInAtMs >= 0) bargeIn = o.BargeInWav != null ? WavFile.Read(o.BargeInWav, "barge-in") : BundledAudio.BargeIn();

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
                var runner = new TalkRunner(o, input, bargeIn, registry, factory, connection);
                return await runner.RunAsync(cancellationToken);
            }
            finally { recorder?.Dispose(); }
        }
    }
}
