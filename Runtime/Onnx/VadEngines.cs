using System;
using System.Collections.Generic;
using Parley.Audio.Vad;

namespace Parley.Onnx
{
    /// <summary>Either engine by name, and offline detection with it: what <c>parley vad --engine silero|energy</c> calls.</summary>
    public static class VadEngines
    {
        /// <summary>A detector at 16 kHz; Silero's model comes from <paramref name="sileroModel"/> or else <see cref="SileroModel.BundledPath"/>.</summary>
        public static IVoiceActivityDetector Create(VadEngine engine, byte[] sileroModel = null)
        {
            switch (engine)
            {
                case VadEngine.Energy: return new EnergyVoiceActivityDetector(16000);
                case VadEngine.Silero: return new SileroVoiceActivityDetector(sileroModel ?? System.IO.File.ReadAllBytes(SileroModel.BundledPath), 16000);
                default: throw new ArgumentOutOfRangeException(nameof(engine), engine, "Unknown VAD engine.");
            }
        }

        /// <summary>
        /// Silero's decisions with the energy VAD's onsets (<see cref="OnsetAssistedDetector"/>), decided every 16 ms
        /// energy frame (Silero runs on every second one): about Silero's F1 and the energy VAD's onset delay
        /// (BENCHMARKS.md). For barge-in, where 70-80 ms of Silero latency matter. Its frames are 256 samples.
        /// </summary>
        public static IVoiceActivityDetector CreateSileroWithEnergyOnset(byte[] sileroModel = null) =>
            new OnsetAssistedDetector(Create(VadEngine.Silero, sileroModel), new EnergyVoiceActivityDetector(16000), 3, decideEveryOnsetFrame: true);

        /// <summary>Speech segments of mono <paramref name="samples"/> at <paramref name="sampleRate"/> Hz with <paramref name="engine"/>.</summary>
        public static List<SpeechSegment> Detect(ReadOnlySpan<float> samples, int sampleRate, VadEngine engine, VadSettings settings)
        {
            using (var detector = Create(engine))
                return VoiceActivitySegments.Detect(samples, sampleRate, detector, settings);
        }

        public static List<SpeechSegment> Detect(ReadOnlySpan<float> samples, int sampleRate, VadEngine engine) =>
            Detect(samples, sampleRate, engine, VadSettings.Default);
    }
}
