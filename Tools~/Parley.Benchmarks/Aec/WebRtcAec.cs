using System;
using System.Diagnostics;
using System.IO;
using System.Runtime.InteropServices;

namespace Parley.Benchmarks.Aec
{
    /// <summary>
    /// WebRTC AudioProcessing 0.3 (Debian libwebrtc-audio-processing1 / -dev: apt-get install -y
    /// libwebrtc-audio-processing-dev g++), the legacy AEC, through the C shim webrtc_aec_shim.cc compiled here with
    /// g++ on first use. Settings: see the shim (kModerateSuppression, no drift compensation, no extended filter,
    /// no delay-agnostic mode, every other component off); the true delay is passed with set_stream_delay_ms.
    /// </summary>
    public sealed unsafe class WebRtcAec : IEchoContender
    {
        static IntPtr s_Lib;
        readonly int m_Suppression;

        /// <param name="suppression">0 low, 1 moderate (the default), 2 high.</param>
        public WebRtcAec(int suppression = 1) { m_Suppression = suppression; }

        public string Name => "WebRTC AEC (audio-processing 0.3)";
        public string Settings => "legacy AEC, suppression " + (m_Suppression == 0 ? "kLowSuppression" : m_Suppression == 1 ? "kModerateSuppression (default)" : "kHighSuppression")
            + ", drift compensation off, extended filter off, delay-agnostic off, set_stream_delay_ms = true delay, HPF/NS/AGC/VAD off, 10 ms int16 frames";

        public float[] Run(float[] mic, float[] far, int rate, int trueDelay)
        {
            var lib = Load();
            var create = (delegate* unmanaged<int, int, IntPtr>)NativeLibrary.GetExport(lib, "parley_webrtc_create");
            var process = (delegate* unmanaged<IntPtr, short*, short*, short*, int, int>)NativeLibrary.GetExport(lib, "parley_webrtc_process");
            var destroy = (delegate* unmanaged<IntPtr, void>)NativeLibrary.GetExport(lib, "parley_webrtc_destroy");
            var h = create(rate, m_Suppression);
            if (h == IntPtr.Zero) throw new InvalidOperationException("WebRTC AudioProcessing refused rate " + rate);
            try
            {
                var frame = rate / 100;
                var delayMs = (int)Math.Round(trueDelay * 1000.0 / rate);
                var output = new float[mic.Length];
                var f = new short[frame];
                var n = new short[frame];
                var o = new short[frame];
                fixed (short* fp = f, np = n, op = o)
                    for (var s = 0; s + frame <= mic.Length; s += frame)
                    {
                        for (var i = 0; i < frame; i++)
                        {
                            f[i] = SpeexAec.Pcm(far[s + i]);
                            n[i] = SpeexAec.Pcm(mic[s + i]);
                        }
                        var err = process(h, fp, np, op, delayMs);
                        if (err != 0) throw new InvalidOperationException("WebRTC AudioProcessing error " + err);
                        for (var i = 0; i < frame; i++) output[s + i] = o[i] / 32768f;
                    }
                return output;
            }
            finally { destroy(h); }
        }

        /// <summary>Compiles the shim next to the benchmark binaries (once) and loads it.</summary>
        static IntPtr Load()
        {
            if (s_Lib != IntPtr.Zero) return s_Lib;
            var source = Path.Combine(AppContext.BaseDirectory, "Aec", "webrtc_aec_shim.cc");
            var lib = Path.Combine(AppContext.BaseDirectory, "libparley_webrtc_shim.so");
            if (!File.Exists(lib) || File.GetLastWriteTimeUtc(lib) < File.GetLastWriteTimeUtc(source))
            {
                var psi = new ProcessStartInfo("sh", "-c \"g++ -O2 -shared -fPIC '" + source + "' $(pkg-config --cflags --libs webrtc-audio-processing) -o '" + lib + "'\"")
                { RedirectStandardError = true, UseShellExecute = false };
                using (var p = Process.Start(psi)!)
                {
                    var err = p.StandardError.ReadToEnd();
                    p.WaitForExit();
                    if (p.ExitCode != 0)
                        throw new InvalidOperationException("Building the WebRTC shim failed (apt-get install -y libwebrtc-audio-processing-dev g++ pkg-config):\n" + err);
                }
            }
            return s_Lib = NativeLibrary.Load(lib);
        }
    }
}
