using System;
using System.ComponentModel;
using System.IO;
using System.Linq;
using System.Reflection;
using Spectre.Console.Cli;

namespace Parley.Cli.Commands
{
    /// <summary>
    /// `parley scene`: every option of `talk` (the provider, --input, --output, --events, --metrics, --fast …) plus the
    /// simulated player's devices and loop. --input is what the microphone hears; --output what the AudioListener heard.
    /// </summary>
    public sealed class SceneOptions : TalkOptions
    {
        [CommandOption("--mic-rate <HZ>"), DefaultValue(48000), Description("rate MicrophoneCapture asks Microphone.Start for (the simulated device takes any), 8000 to 192000")]
        public int MicRate { get; set; }
        [CommandOption("--output-rate <HZ>"), DefaultValue(48000), Description("the output device's rate (AudioSettings.outputSampleRate), 8000 to 192000; talk's --engine-rate sets it too")]
        public int OutputRate { get; set; }
        [CommandOption("--dsp-buffer <FRAMES>"), DefaultValue(1024), Description("frames per DSP block (OnAudioFilterRead), 64 to 8192")]
        public int DspBuffer { get; set; }
        [CommandOption("--fps <N>"), DefaultValue(60.0), Description("player loop frames per second, each frame ±10 % (jittered), 1 to 1000")]
        public double Fps { get; set; }
        [CommandOption("--seed <N>"), DefaultValue(1), Description("seed of the frame jitter (the same seed gives the same frames)")]
        public int Seed { get; set; }
        [CommandOption("--unplug-at <MS>"), DefaultValue(-1), Description("unplug the microphone at MS of play (-1: never)")]
        public int UnplugAtMs { get; set; }
        [CommandOption("--replug-at <MS>"), DefaultValue(-1), Description("plug it back in at MS (after --unplug-at; -1: never)")]
        public int ReplugAtMs { get; set; }

        [CommandOption("--echo-room <DIR>"), Description("keep the agent's learnt echo path between runs: DIR is the simulated player's Application.persistentDataPath and MicrophoneCapture.KeepEchoPathBetweenRuns is on (files in DIR/Parley/EchoPaths), so a later run through the same --echo starts its canceller warm")]
        public string EchoRoom { get; set; }

        [CommandOption("--blendshapes <FILE>"), Description("put a face with BlendShapeLipSync on the NPC and write its blend shape weights (0..100) to a CSV: ms of the audio being heard, then one column per shape")]
        public string Blendshapes { get; set; }
        [CommandOption("--blendshapes-set <NAME>"), DefaultValue("oculus"), Description("the face's blend shapes: a shipped mapping, oculus, arkit, vrm or rhubarb")]
        public string BlendshapesSet { get; set; }

        const int DefaultRate = 48000;

        /// <summary>The talk options the scene runs. One added to talk later is refused here until SceneRunner wires it.</summary>
        static readonly string[] Wired =
        {
            "input", "barge-in-at", "barge-in-wav", "output", "events", "metrics", "record", "replay", "fast", "speed", "engine-rate",
            "tail-ms", "max-seconds", "quiet", "provider", "url", "model", "voice", "instructions", "turn", "api-key-env", "token-url",
            "token-auth-env", "tools", "asr-url", "tts-url", "llm-url", "llm-model", "riva-transport", "asr-function-id",
            "tts-function-id", "insecure", "echo", "echo-gain", "aec", "vad", "duplex", "context-at",
        };

        /// <summary>talk's checks, then the player's; --engine-rate (talk's name for the output rate) and --output-rate must agree.</summary>
        public void CheckScene()
        {
            RefuseUnwired();
            Check();
            CliError.Range("--mic-rate", MicRate, 8000, 192000);
            CliError.Range("--output-rate", OutputRate, 8000, 192000);
            if (EngineRate != DefaultRate)
            {
                if (OutputRate != DefaultRate && OutputRate != EngineRate)
                    throw new CliError("--engine-rate " + EngineRate + " and --output-rate " + OutputRate + " both set the output device's rate in `scene`; give one.");
                OutputRate = EngineRate;
            }
            EngineRate = OutputRate;
            CliError.Range("--dsp-buffer", DspBuffer, 64, 8192);
            CliError.Range("--fps", Fps, 1, 1000);
            CliError.Range("--seed", Seed, 0, int.MaxValue);
            if (Parley.Lipsync.VisemeMappingPresets.Csv(BlendshapesSet ?? "") == null)
                throw new CliError("--blendshapes-set '" + BlendshapesSet + "' is not a shipped mapping; use one of " + string.Join(", ", Parley.Lipsync.VisemeMappingPresets.Names) + ".");
            if (Blendshapes != null) Blendshapes = OutputPath.Prepare("--blendshapes", Blendshapes);
            if (EchoRoom != null && File.Exists(EchoRoom)) throw new CliError("--echo-room '" + EchoRoom + "' is a file; give a directory (made if missing).", ExitCodes.BadInput);
            if (UnplugAtMs != -1) CliError.Range("--unplug-at", UnplugAtMs, 0, 7200000);
            if (ReplugAtMs != -1)
            {
                CliError.Range("--replug-at", ReplugAtMs, 0, 7200000);
                if (UnplugAtMs < 0) throw new CliError("--replug-at " + ReplugAtMs + " needs --unplug-at: the microphone is plugged in until then.");
                if (ReplugAtMs <= UnplugAtMs) throw new CliError("--replug-at " + ReplugAtMs + " must come after --unplug-at " + UnplugAtMs + ".");
            }
        }

        /// <summary>A talk option scene does not run yet, given a value other than its default: a usage error, never silently ignored.</summary>
        void RefuseUnwired()
        {
            foreach (var p in typeof(TalkOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            {
                var option = p.GetCustomAttribute<CommandOptionAttribute>();
                if (option == null || option.LongNames.Any(n => Array.IndexOf(Wired, n) >= 0)) continue;
                var declared = p.GetCustomAttribute<DefaultValueAttribute>()?.Value;
                var unset = declared is IConvertible ? Convert.ChangeType(declared, p.PropertyType, System.Globalization.CultureInfo.InvariantCulture)
                    : declared ?? (p.PropertyType.IsValueType ? Activator.CreateInstance(p.PropertyType) : null);
                if (!Equals(p.GetValue(this), unset))
                    throw new CliError("--" + option.LongNames[0] + " is an option of talk that scene does not run yet; run it with `parley talk`.");
            }
        }
    }
}
