using System;
using System.ComponentModel;
using System.IO;
using Spectre.Console.Cli;

namespace Parley.Cli.Commands
{
    /// <summary>
    /// The capture front end and the simulated room, shared by every host that talks through a virtual speaker and
    /// microphone (`parley talk`, `parley scene`): the echo path mixed into the microphone, the canceller, the local VAD
    /// and the duplex mode. Documentation~/cli.md, "Echo and barge-in".
    /// </summary>
    public partial class TalkOptions
    {
        [CommandOption("--echo <IMPULSE.wav>"), Description("mono room impulse response (any rate; its leading silence is the delay): what the speaker plays is convolved with it and added to the microphone")]
        public string Echo { get; set; }
        [CommandOption("--echo-gain <DB>"), DefaultValue(0.0), Description("gain of the echo path, dB, -60 to 20")]
        public double EchoGain { get; set; }
        [CommandOption("--aec <on|off>"), DefaultValue("on"), Description("Parley's echo canceller on the microphone")]
        public string Aec { get; set; }
        [CommandOption("--vad <ENGINE>"), DefaultValue("server"), Description("barge-in detection: silero or energy (local, on the cancelled microphone) or server (the provider's own)")]
        public string Vad { get; set; }
        [CommandOption("--duplex <MODE>"), DefaultValue("full"), Description("full (the player can talk over the agent) or half (the microphone is gated while the agent can be heard)")]
        public string Duplex { get; set; }

        public static readonly string[] VadEngines = { "silero", "energy", "server" };

        public bool AecOn => Aec == "on";

        void CheckFrontEnd()
        {
            Aec = (Aec ?? "on").ToLowerInvariant();
            Vad = (Vad ?? "server").ToLowerInvariant();
            Duplex = (Duplex ?? "full").ToLowerInvariant();
            if (Aec != "on" && Aec != "off") throw new CliError("--aec must be on or off (got '" + Aec + "').");
            if (Array.IndexOf(VadEngines, Vad) < 0) throw new CliError("--vad must be silero, energy or server (got '" + Vad + "').");
            if (Duplex != "full" && Duplex != "half") throw new CliError("--duplex must be full or half (got '" + Duplex + "'); push-to-talk is the game's (TurnTaking.PushToTalk).");
            CliError.Range("--echo-gain", EchoGain, -60, 20);
            if (Echo != null && !File.Exists(Echo))
                throw new CliError("The impulse response '" + Echo + "' does not exist; give a mono WAV (its leading silence is the echo delay).", ExitCodes.BadInput);
        }
    }
}
