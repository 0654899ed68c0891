using System;
using Parley.Audio;
using Parley.Audio.Vad;
using Parley.Cli.Commands;
using Parley.Providers;
using Parley.Session.Audio;

namespace Parley.Cli.Talk
{
    /// <summary>
    /// The CLI's microphone front end, virtual speaker and the room between them, built from the package's own audio
    /// core: <see cref="DuplexFrontEnd"/> (canceller, local VAD, duplex mode) and <see cref="SpeakerEchoLoop"/> (the
    /// speaker's output through --echo into the microphone, and as the canceller's reference).
    /// </summary>
    sealed class AudioPipeline
    {
        // The runner feeds and renders 10 ms per tick; a second of headroom covers any catch-up tick.
        const int MaxBlockMs = 1000;

        public DuplexFrontEnd FrontEnd;
        public PlayoutSpeaker Speaker;
        public SpeakerEchoLoop Room;

        public static AudioPipeline Create(AudioFormat micFormat, ProviderCapabilities caps, TalkOptions o, WavFile impulse)
        {
            var p = new AudioPipeline();
            var options = new DuplexFrontEndOptions
            {
                EchoCancellation = o.AecOn,
                Mode = o.Duplex == "half" ? DuplexMode.HalfDuplex : DuplexMode.FullDuplex,
            };
            p.FrontEnd = new DuplexFrontEnd(micFormat, micFormat.FramesIn(MaxBlockMs), CreateVad(o.Vad), options);
            p.Speaker = new PlayoutSpeaker(caps.OutputSampleRate, o.EngineRate, AudioFormat.Mono(o.EngineRate).FramesIn(MaxBlockMs));
            EchoPath path = null;
            if (impulse != null)
            {
                if (impulse.Channels != 1)
                    throw new CliError("The impulse response '" + o.Echo + "' has " + impulse.Channels + " channels; give a mono WAV.", ExitCodes.BadInput);
                path = EchoPath.FromImpulse(impulse.Samples, impulse.SampleRate, micFormat.SampleRate, o.EchoGain);
            }
            p.Room = new SpeakerEchoLoop(o.EngineRate, micFormat, AudioFormat.Mono(o.EngineRate).FramesIn(MaxBlockMs), path, p.FrontEnd);
            return p;
        }

        static IVoiceActivityDetector CreateVad(string engine)
        {
            switch (engine)
            {
                // Silero's decisions with the energy VAD's onsets: barge-in needs the early onset (BENCHMARKS.md).
                case "silero": return Parley.Onnx.VadEngines.CreateSileroWithEnergyOnset();
                case "energy": return new EnergyVoiceActivityDetector(16000);
                default: return null;
            }
        }
    }
}
