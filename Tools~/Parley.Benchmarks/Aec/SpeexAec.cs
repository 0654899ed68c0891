using System;
using System.Runtime.InteropServices;

namespace Parley.Benchmarks.Aec
{
    /// <summary>
    /// speexdsp 1.2 (Debian libspeexdsp1 / libspeexdsp-dev: apt-get install -y libspeexdsp-dev): MDF echo canceller
    /// followed by the preprocessor's residual echo suppressor at its defaults (echo suppression −40 dB /
    /// −15 dB while the near end is active, denoise on at −15 dB: speexdsp applies no suppression at all with denoise off;
    /// AGC and dereverb off). 10 ms frames; the reference is delayed by the true delay − 5 ms so the
    /// direct path sits inside the filter.
    /// </summary>
    public sealed class SpeexAec : IEchoContender
    {
        const string Lib = "libspeexdsp.so.1";
        const int SetSamplingRate = 24;   // SPEEX_ECHO_SET_SAMPLING_RATE
        const int SetEchoState = 24;      // SPEEX_PREPROCESS_SET_ECHO_STATE

        [DllImport(Lib)] static extern IntPtr speex_echo_state_init(int frameSize, int filterLength);
        [DllImport(Lib)] static extern void speex_echo_state_destroy(IntPtr st);
        [DllImport(Lib)] static extern int speex_echo_ctl(IntPtr st, int request, ref int value);
        [DllImport(Lib)] static extern unsafe void speex_echo_cancellation(IntPtr st, short* rec, short* play, short* output);
        [DllImport(Lib)] static extern IntPtr speex_preprocess_state_init(int frameSize, int rate);
        [DllImport(Lib)] static extern void speex_preprocess_state_destroy(IntPtr st);
        [DllImport(Lib)] static extern int speex_preprocess_ctl(IntPtr st, int request, ref int value);
        [DllImport(Lib)] static extern int speex_preprocess_ctl(IntPtr st, int request, IntPtr value);
        [DllImport(Lib)] static extern unsafe int speex_preprocess_run(IntPtr st, short* x);

        readonly double m_FilterMs;
        public SpeexAec(double filterMs) { m_FilterMs = filterMs; }

        public string Name => "speexdsp 1.2 (MDF + preprocess)";
        public string Settings => $"frame 10 ms, filter {m_FilterMs} ms, preprocessor defaults (echo suppression −40/−15 dB, denoise −15 dB, AGC/dereverb off), reference delayed by the true delay − 5 ms";

        public unsafe float[] Run(float[] mic, float[] far, int rate, int trueDelay)
        {
            var frame = rate / 100;
            var shift = Math.Max(0, trueDelay - rate / 200);
            var echo = speex_echo_state_init(frame, (int)(m_FilterMs * rate / 1000));
            var pre = speex_preprocess_state_init(frame, rate);
            try
            {
                var r = rate;
                speex_echo_ctl(echo, SetSamplingRate, ref r);
                speex_preprocess_ctl(pre, SetEchoState, echo);
                var output = new float[mic.Length];
                var m = new short[frame];
                var p = new short[frame];
                var o = new short[frame];
                fixed (short* mp = m, pp = p, op = o)
                    for (var s = 0; s + frame <= mic.Length; s += frame)
                    {
                        for (var i = 0; i < frame; i++)
                        {
                            m[i] = Pcm(mic[s + i]);
                            var j = s + i - shift;
                            p[i] = j >= 0 ? Pcm(far[j]) : (short)0;
                        }
                        speex_echo_cancellation(echo, mp, pp, op);
                        speex_preprocess_run(pre, op);
                        for (var i = 0; i < frame; i++) output[s + i] = o[i] / 32768f;
                    }
                return output;
            }
            finally
            {
                speex_preprocess_state_destroy(pre);
                speex_echo_state_destroy(echo);
            }
        }

        internal static short Pcm(float x) => (short)Math.Clamp(Math.Round(x * 32768.0), -32768, 32767);
    }
}
