using System;
using System.Collections.Generic;
using System.Linq;
using Parley.Audio;
using Parley.Audio.Vad;
using Parley.Session.Audio;

namespace Parley.Tests.Support
{
    /// <summary>
    /// Barge-in scenes for the duplex front end: the agent's reply (speech fixtures) played at the engine rate, its
    /// echo through a synthetic room (<see cref="EchoScenes.RoomImpulse"/>) at a level against the playback, noise,
    /// and optionally the player's clip at a known time with its labelled onset (first sounding phoneme). Streamed in
    /// 10 ms ticks as a host does: the played block is written as the reference, then the microphone block is processed.
    /// </summary>
    public static class DuplexScenes
    {
        public const int EngineRate = 48000;
        public const double NoiseDbfs = -60;

        /// <summary>RT60 0.2–0.8 s, delays 20–300 ms, echo −20..0 dB (issue 13): every combination of the four of each.</summary>
        public static IEnumerable<(double Rt60, double DelayMs, double EchoDb)> Rooms()
        {
            foreach (var rt in new[] { 0.2, 0.4, 0.6, 0.8 })
                foreach (var d in new[] { 20.0, 100.0, 200.0, 300.0 })
                    foreach (var e in new[] { -20.0, -12.0, -6.0, 0.0 })
                        yield return (rt, d, e);
        }

        public sealed class Scene
        {
            public float[] Played, Mic;
            /// <summary>Labelled onset of the player's speech, ms (−1: no player speech).</summary>
            public double OnsetMs = -1;
        }

        /// <param name="playerAtMs">Where the player's clip starts (−1: none).</param>
        /// <param name="echoStepDb">The echo this much louder from the player's clip on (the speakers turned up; 0: none).</param>
        public static Scene Make(double seconds, double rt60, double delayMs, double echoDb, int seed, string playerClip = null, double playerAtMs = -1, double playerDb = 0, double echoStepDb = 0)
        {
            var s = new Scene();
            s.Played = EchoScenes.FarSpeech(EngineRate, seconds);
            var echo = EchoScenes.Echo(s.Played, EchoScenes.RoomImpulse(EngineRate, rt60, delayMs, seed), echoDb);
            if (echoStepDb != 0 && playerAtMs >= 0)
            {
                var g = (float)Math.Pow(10, echoStepDb / 20);
                for (var i = (int)(playerAtMs * EngineRate / 1000); i < echo.Length; i++) echo[i] *= g;
            }
            var noise = EchoScenes.Noise(s.Played.Length, NoiseDbfs, seed + 1);
            var near = playerClip != null ? Player(s.Played, playerClip, playerAtMs, playerDb, out s.OnsetMs) : new float[s.Played.Length];
            s.Mic = EchoScenes.Sum(echo, noise, near);
            return s;
        }

        /// <summary>
        /// The player's clip at <paramref name="atMs"/>, at <paramref name="playerDb"/> against the played voice's RMS,
        /// as long as <paramref name="played"/>; <paramref name="onsetMs"/> is its labelled onset (first sounding phoneme).
        /// </summary>
        public static float[] Player(float[] played, string clipName, double atMs, double playerDb, out double onsetMs)
        {
            var near = new float[played.Length];
            var clip = TestWav.Speech(clipName, EngineRate).Samples;
            var g = (float)(Math.Pow(10, playerDb / 20) * EchoScenes.Rms(played) / Math.Max(1e-9, EchoScenes.Rms(clip)));
            var at = (int)(atMs * EngineRate / 1000);
            for (var i = 0; i < clip.Length && at + i < near.Length; i++) near[at + i] = clip[i] * g;
            onsetMs = atMs + VadCorpus.SpeechIntervals(clipName)[0].Start;
            return near;
        }

        /// <summary>
        /// The scene started <paramref name="ticks"/> 10 ms ticks late: noise before it, nothing played. At 24 kHz the
        /// canceller's 128-sample blocks then meet the same audio at 8 phases (0–7), the guard's frames at the same.
        /// </summary>
        public static Scene Late(Scene s, int ticks, int seed)
        {
            var n = ticks * EngineRate / 100;
            if (n == 0) return s;
            var lead = EchoScenes.Noise(n, NoiseDbfs, seed + 7);
            return new Scene
            {
                Played = new float[n].Concat(s.Played).ToArray(),
                Mic = lead.Concat(s.Mic).ToArray(),
                OnsetMs = s.OnsetMs < 0 ? -1 : s.OnsetMs + ticks * 10,
            };
        }

        /// <summary>
        /// One of the barge-in sweep's echo-only replies (<c>EchoGuardSweep</c>): 8 s of the agent's voice through
        /// <paramref name="room"/> (one of <see cref="Rooms"/>), no player, the room's seed 100 + its index +
        /// <paramref name="seedOffset"/> (the sweep's SEEDOFF), started <paramref name="phase"/> ticks late.
        /// </summary>
        public static Scene EchoOnly((double Rt60, double DelayMs, double EchoDb) room, int seedOffset, int phase)
        {
            var seed = 100 + Rooms().ToList().IndexOf(room) + seedOffset;
            return Late(Make(8, room.Rt60, room.DelayMs, room.EchoDb, seed), phase, seed);
        }

        public sealed class Result
        {
            public int Raised, Guarded;
            /// <summary>Capture time at which the first onset was raised, ms (−1: none).</summary>
            public double FirstRaisedAtMs = -1;
        }

        /// <summary>Streams a scene through <paramref name="frontEnd"/> (already configured) in 10 ms ticks.</summary>
        /// <param name="sent">Receives what the front end sends the provider (PCM16 at its processing rate), if given.</param>
        /// <param name="pathChangedAt">The engine-rate sample at which the output device changes
        /// (<see cref="DuplexFrontEnd.EchoPathChanged"/> is called, as the Unity runtime does); −1: never.</param>
        public static Result Run(DuplexFrontEnd frontEnd, Scene scene, List<short> sent = null, int pathChangedAt = -1)
        {
            var r = new Result();
            var tick = EngineRate / 100;
            var pcm = new short[frontEnd.MaxOutputSamples(tick)];
            frontEnd.VoiceActivity += speaking =>
            {
                if (!speaking) return;
                r.Raised++;
                if (r.FirstRaisedAtMs < 0) r.FirstRaisedAtMs = frontEnd.CapturedSamples * 1000.0 / frontEnd.ProcessingRate;
            };
            for (var at = 0; at + tick <= scene.Mic.Length; at += tick)
            {
                if (at == pathChangedAt) frontEnd.EchoPathChanged();
                frontEnd.WriteReference(at, new ReadOnlySpan<float>(scene.Played, at, tick));
                var n = frontEnd.Process(new ReadOnlySpan<float>(scene.Mic, at, tick), pcm);
                for (var i = 0; i < n && sent != null; i++) sent.Add(pcm[i]);
            }
            r.Guarded = frontEnd.GuardedOnsets;
            return r;
        }

        /// <summary>
        /// When a provider's energy VAD first hears speech in <paramref name="sent"/> (PCM16 at <paramref name="rate"/>):
        /// the end of the first run of <paramref name="frames"/> 10 ms frames above <paramref name="dbfs"/> (the OpenAI
        /// emulator's server VAD: 3 frames over −42 dBFS) from <paramref name="fromMs"/> on, ms; −1 if never.
        /// </summary>
        public static double ProviderHearsAtMs(List<short> sent, int rate, double fromMs = 0, double dbfs = -42, int frames = 3)
        {
            var frame = rate / 100;
            var run = 0;
            for (var at = (int)(fromMs * rate / 1000) / frame * frame; at + frame <= sent.Count; at += frame)
            {
                double e = 0;
                for (var i = at; i < at + frame; i++) e += (double)sent[i] * sent[i];
                run = 10 * Math.Log10(e / frame / (32768.0 * 32768.0) + 1e-12) > dbfs ? run + 1 : 0;
                if (run >= frames) return (at + frame) * 1000.0 / rate;
            }
            return -1;
        }

        public static DuplexFrontEnd EnergyFrontEnd(int providerRate, DuplexFrontEndOptions options = null)
        {
            var f = new DuplexFrontEnd(AudioFormat.Mono(EngineRate), EngineRate / 10, new EnergyVoiceActivityDetector(16000), options);
            f.Configure(providerRate);
            return f;
        }
    }
}
