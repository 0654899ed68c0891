using System;
using Parley.Audio;

namespace Parley.Tests.Support
{
    /// <summary>
    /// Echo-cancellation test scenes built independently of the canceller: speech fixtures convolved with synthetic
    /// room impulse responses, noise and near-end speech, and the quantities the canceller is judged by (ERLE,
    /// near-end SNR after the best gain and lag fit, convergence time). Shared with the benchmark comparison.
    /// </summary>
    public static class EchoScenes
    {
        public static readonly string[] FarClips = { "npc-greeting", "npc-price", "npc-quest", "trainer-step", "trainer-answer" };
        public static readonly string[] NearClips = { "user-question", "user-thanks", "user-interrupt" };

        /// <summary>
        /// Streams whole signals through <paramref name="aec"/> in 10 ms frames (the capture path) and returns the
        /// output shifted back by its latency, so sample k lines up with microphone sample k.
        /// </summary>
        public static float[] Stream(EchoCanceller aec, float[] mic, float[] far) => Stream(aec, mic, far, null);

        /// <summary><see cref="Stream(EchoCanceller, float[], float[])"/>, the guard's view too into <paramref name="guardView"/> (null: not asked; aligned the same).</summary>
        public static float[] Stream(EchoCanceller aec, float[] mic, float[] far, float[] guardView)
        {
            var frame = aec.SampleRate / 100;
            var latency = aec.LatencySamples;
            var output = new float[mic.Length];
            var m = new float[frame];
            var f = new float[frame];
            var o = new float[frame];
            var v = new float[frame];
            for (var s = 0; s < mic.Length + latency; s += frame)
            {
                for (var i = 0; i < frame; i++)
                {
                    m[i] = s + i < mic.Length ? mic[s + i] : 0f;
                    f[i] = s + i < far.Length ? far[s + i] : 0f;
                }
                if (guardView != null) aec.Process(m, f, o, v);
                else aec.Process(m, f, o);
                for (var i = 0; i < frame; i++)
                {
                    var j = s + i - latency;
                    if (j < 0 || j >= output.Length) continue;
                    output[j] = o[i];
                    if (guardView != null) guardView[j] = v[i];
                }
            }
            return output;
        }

        /// <summary>The agent's clips back to back with 200 ms gaps, repeated to <paramref name="seconds"/>; peak near −6 dBFS.</summary>
        public static float[] FarSpeech(int rate, double seconds)
        {
            var n = (int)(seconds * rate);
            var x = new float[n];
            var at = 0;
            for (var c = 0; at < n; c++)
            {
                var clip = Normalise(TestWav.Speech(FarClips[c % FarClips.Length], rate).Samples, 0.5);
                var take = Math.Min(clip.Length, n - at);
                Array.Copy(clip, 0, x, at, take);
                at += take + rate / 5;
            }
            return x;
        }

        /// <summary>A player clip scaled to peak 0.5.</summary>
        public static float[] NearClip(int index, int rate) => Normalise(TestWav.Speech(NearClips[index % NearClips.Length], rate).Samples, 0.5);

        static float[] Normalise(float[] x, double peak)
        {
            double m = 0;
            foreach (var v in x) m = Math.Max(m, Math.Abs(v));
            var y = new float[x.Length];
            for (var i = 0; i < x.Length; i++) y[i] = (float)(x[i] * peak / m);
            return y;
        }

        /// <summary>
        /// Synthetic room: silence for <paramref name="delayMs"/>, a direct-path impulse, six early reflections within
        /// 20 ms and a Gaussian tail decaying 60 dB in <paramref name="rt60"/> seconds (Polack's model), low-passed
        /// lightly; length 1.2·RT60 after the direct path.
        /// </summary>
        public static float[] RoomImpulse(int rate, double rt60, double delayMs, int seed)
        {
            var r = new Random(seed);
            var d = (int)Math.Round(delayMs * rate / 1000);
            var tail = (int)(1.2 * rt60 * rate);
            var h = new float[d + tail];
            h[d] = 1f;
            for (var i = 0; i < 6; i++)
                h[d + 1 + r.Next((int)(0.02 * rate))] += (float)((r.NextDouble() - 0.5) * 1.0);
            var decay = 6.91 / (rt60 * rate);
            double prev = 0;
            for (var i = 1; i < tail; i++)
            {
                var g = Gaussian(r) * 0.3 * Math.Exp(-decay * i);
                prev = 0.6 * g + 0.4 * prev;
                h[d + i] += (float)prev;
            }
            return h;
        }

        /// <summary><paramref name="room"/> scaled to <paramref name="levelDb"/> of energy: the path's gain, whatever its length.</summary>
        public static float[] ScaledRoom(float[] room, double levelDb)
        {
            double e = 0;
            foreach (var v in room) e += (double)v * v;
            var g = Math.Pow(10, levelDb / 20) / Math.Sqrt(e);
            var y = new float[room.Length];
            for (var i = 0; i < room.Length; i++) y[i] = (float)(room[i] * g);
            return y;
        }

        /// <summary>
        /// `parley scene`'s conversation as the agent plays it: the emulator's two replies (npc-greeting at 3.508 s,
        /// npc-price at 11.333 s plus <paramref name="secondOffsetMs"/>, where runs of the scene placed them) in
        /// <paramref name="seconds"/> of silence; <paramref name="spans"/> gives where each plays (samples).
        /// </summary>
        public static float[] SceneReplies(int rate, double seconds, out (int Start, int End)[] spans, double secondOffsetMs = 0)
        {
            var n = (int)(seconds * rate);
            var far = new float[n];
            spans = new (int, int)[SceneReplyTimes.Length];
            for (var k = 0; k < SceneReplyTimes.Length; k++)
            {
                var clip = TestWav.Speech(SceneReplyTimes[k].Clip, rate).Samples;
                var at = (int)((SceneReplyTimes[k].At + (k == 1 ? secondOffsetMs / 1000.0 : 0)) * rate);
                Array.Copy(clip, 0, far, at, Math.Min(clip.Length, n - at));
                spans[k] = (at, Math.Min(n, at + clip.Length));
            }
            return far;
        }

        /// <summary>The emulator's replies in `parley scene` and when the scene plays them (s).</summary>
        public static readonly (string Clip, double At)[] SceneReplyTimes = { ("npc-greeting", 3.508), ("npc-price", 11.333) };

        public static double Gaussian(Random r) =>
            Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble());

        /// <summary>White Gaussian noise at <paramref name="dbfs"/> RMS.</summary>
        public static float[] Noise(int n, double dbfs, int seed)
        {
            var r = new Random(seed);
            var a = Math.Pow(10, dbfs / 20);
            var x = new float[n];
            for (var i = 0; i < n; i++) x[i] = (float)(Gaussian(r) * a);
            return x;
        }

        /// <summary>Echo of <paramref name="far"/> through <paramref name="room"/>, scaled to <paramref name="levelDb"/> against the far end's RMS.</summary>
        public static float[] Echo(float[] far, float[] room, double levelDb)
        {
            var y = Convolve(far, room, far.Length);
            var g = Math.Pow(10, levelDb / 20) * Rms(far) / Math.Max(1e-12, Rms(y));
            for (var i = 0; i < y.Length; i++) y[i] = (float)(y[i] * g);
            return y;
        }

        public static double Rms(ReadOnlySpan<float> x)
        {
            double s = 0;
            foreach (var v in x) s += (double)v * v;
            return Math.Sqrt(s / Math.Max(1, x.Length));
        }

        public static float[] Sum(params float[][] parts)
        {
            var n = 0;
            foreach (var p in parts) n = Math.Max(n, p.Length);
            var y = new float[n];
            foreach (var p in parts)
                for (var i = 0; i < p.Length; i++) y[i] += p[i];
            return y;
        }

        /// <summary>The near-end clips 0, 1, … (<see cref="NearClip"/>) starting at <paramref name="atSeconds"/>, in a silent signal of <paramref name="length"/> samples.</summary>
        public static float[] NearClipsAt(int rate, int length, double[] atSeconds)
        {
            var near = new float[length];
            for (var i = 0; i < atSeconds.Length; i++)
            {
                var clip = NearClip(i, rate);
                var at = (int)(atSeconds[i] * rate);
                Array.Copy(clip, 0, near, at, Math.Min(clip.Length, length - at));
            }
            return near;
        }

        /// <summary>Places <paramref name="clip"/> at sample <paramref name="at"/> of a silent signal of <paramref name="length"/> samples.</summary>
        public static float[] Place(float[] clip, int at, int length)
        {
            var y = new float[length];
            Array.Copy(clip, 0, y, at, Math.Min(clip.Length, length - at));
            return y;
        }

        /// <summary>
        /// Echo return loss enhancement in dB from <paramref name="from"/> on: microphone over output energy, counted in
        /// 20 ms frames where the echo is at least 10 dB above <paramref name="noise"/> (where there is echo to remove).
        /// </summary>
        public static double ErleDb(float[] mic, float[] output, float[] echo, float[] noise, int rate, int from = 0, int to = int.MaxValue)
        {
            var frame = rate / 50;
            double m = 0, o = 0;
            to = Math.Min(to, Math.Min(mic.Length, output.Length));
            for (var s = from; s + frame <= to; s += frame)
            {
                if (Energy(echo, s, frame) < 10 * Energy(noise, s, frame)) continue;
                m += Energy(mic, s, frame);
                o += Energy(output, s, frame);
            }
            return 10 * Math.Log10(m / Math.Max(1e-20, o));
        }

        /// <summary>
        /// Seconds from <paramref name="from"/> after which every 250 ms window with echo keeps an ERLE of at least
        /// <paramref name="thresholdDb"/> (0 if it always did; the signal's length if it never settled).
        /// </summary>
        public static double ConvergenceSeconds(float[] mic, float[] output, float[] echo, float[] noise, int rate, double thresholdDb, int from = 0)
        {
            var win = rate / 4;
            var last = from;
            var n = Math.Min(mic.Length, output.Length);
            for (var s = from; s + win <= n; s += win)
            {
                if (Energy(echo, s, win) < 10 * Energy(noise, s, win)) continue;
                var erle = 10 * Math.Log10(Energy(mic, s, win) / Math.Max(1e-20, Energy(output, s, win)));
                if (erle < thresholdDb) last = s + win;
            }
            return (last - from) / (double)rate;
        }

        /// <summary>
        /// Seconds from <paramref name="from"/> after which every 250 ms window with echo has an ERLE within
        /// <paramref name="marginDb"/> of <paramref name="settled"/>'s (a canceller that had this echo path all along):
        /// re-convergence measured apart from what the signal itself does to both (a new voice, a pause).
        /// </summary>
        public static double ReconvergenceSeconds(float[] mic, float[] output, float[] settled, float[] echo, float[] noise, int rate, double marginDb, int from)
        {
            var win = rate / 4;
            var last = from;
            var n = Math.Min(mic.Length, Math.Min(output.Length, settled.Length));
            for (var s = from; s + win <= n; s += win)
            {
                if (Energy(echo, s, win) < 10 * Energy(noise, s, win)) continue;
                var erle = 10 * Math.Log10(Energy(mic, s, win) / Math.Max(1e-20, Energy(output, s, win)));
                var target = 10 * Math.Log10(Energy(mic, s, win) / Math.Max(1e-20, Energy(settled, s, win)));
                if (erle < target - marginDb) last = s + win;
            }
            return (last - from) / (double)rate;
        }

        /// <summary>
        /// How well <paramref name="output"/> keeps the near-end speech over [start, end): SNR in dB of
        /// <paramref name="near"/> against the output after the best lag (within ±<paramref name="maxLag"/> samples)
        /// and the best gain. Everything else in the output (residual echo, distortion, noise) counts as error.
        /// </summary>
        public static double NearEndSnrDb(float[] near, float[] output, int start, int end, int maxLag)
        {
            var bestLag = BestLag(near, output, start, end, maxLag);
            double ss = 0, so = 0, oo = 0;
            for (var i = start; i < end; i++)
            {
                var j = i + bestLag;
                var o = j >= 0 && j < output.Length ? output[j] : 0f;
                ss += (double)near[i] * near[i];
                so += (double)near[i] * o;
                oo += (double)o * o;
            }
            var g = so / ss;
            // Σ (o − g·s)² = oo − 2g·so + g²·ss
            var err = oo - 2 * g * so + g * g * ss;
            return 10 * Math.Log10(g * g * ss / Math.Max(1e-20, err));
        }

        /// <summary>Lag (samples, within ±<paramref name="maxLag"/>) at which <paramref name="output"/> correlates best with <paramref name="near"/> over [start, end).</summary>
        public static int BestLag(float[] near, float[] output, int start, int end, int maxLag)
        {
            double bestCorr = double.NegativeInfinity;
            var bestLag = 0;
            for (var lag = -maxLag; lag <= maxLag; lag++)
            {
                double c = 0;
                for (var i = start; i < end; i++)
                {
                    var j = i + lag;
                    if (j >= 0 && j < output.Length) c += near[i] * output[j];
                }
                if (c > bestCorr) { bestCorr = c; bestLag = lag; }
            }
            return bestLag;
        }

        static double Energy(float[] x, int start, int count)
        {
            double s = 0;
            var end = Math.Min(x.Length, start + count);
            for (var i = start; i < end; i++) s += (double)x[i] * x[i];
            return s;
        }

        /// <summary>Linear convolution by FFT (double precision), first <paramref name="length"/> samples.</summary>
        public static float[] Convolve(float[] x, float[] h, int length)
        {
            var size = 1;
            while (size < x.Length + h.Length) size <<= 1;
            var a = new Complex[size];
            var b = new Complex[size];
            for (var i = 0; i < x.Length; i++) a[i].Re = x[i];
            for (var i = 0; i < h.Length; i++) b[i].Re = h[i];
            Fft(a, false);
            Fft(b, false);
            for (var i = 0; i < size; i++)
                a[i] = new Complex { Re = a[i].Re * b[i].Re - a[i].Im * b[i].Im, Im = a[i].Re * b[i].Im + a[i].Im * b[i].Re };
            Fft(a, true);
            var y = new float[length];
            for (var i = 0; i < length && i < size; i++) y[i] = (float)(a[i].Re / size);
            return y;
        }

        struct Complex { public double Re, Im; }

        static void Fft(Complex[] z, bool inverse)
        {
            var n = z.Length;
            for (int i = 1, j = 0; i < n; i++)
            {
                var bit = n >> 1;
                for (; (j & bit) != 0; bit >>= 1) j ^= bit;
                j ^= bit;
                if (i < j) { var t = z[i]; z[i] = z[j]; z[j] = t; }
            }
            for (var len = 2; len <= n; len <<= 1)
            {
                var ang = 2 * Math.PI / len * (inverse ? 1 : -1);
                for (var k = 0; k < len / 2; k++)
                {
                    double wr = Math.Cos(ang * k), wi = Math.Sin(ang * k);
                    for (var i = k; i < n; i += len)
                    {
                        var u = z[i];
                        var v = z[i + len / 2];
                        var tr = v.Re * wr - v.Im * wi;
                        var ti = v.Re * wi + v.Im * wr;
                        z[i] = new Complex { Re = u.Re + tr, Im = u.Im + ti };
                        z[i + len / 2] = new Complex { Re = u.Re - tr, Im = u.Im - ti };
                    }
                }
            }
        }
    }
}
