using System;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Spectre.Console.Cli;

namespace Parley.Cli.Commands
{
    /// <summary>`parley aec`: the package's echo canceller over a recorded microphone and what was played.</summary>
    public sealed class AecCommand : AsyncCommand<AecSettings>
    {
        public override Task<int> ExecuteAsync(CommandContext context, AecSettings s, CancellationToken cancellationToken)
        {
            s.Check();
            var mic = WavFile.Read(s.Mic, "--mic");
            var played = WavFile.Read(s.Ref, "--ref");
            if (mic.SampleRate > 48000)
                throw new CliError("The --mic '" + s.Mic + "' is at " + mic.SampleRate + " Hz; the echo canceller takes 8-48 kHz (resample it first: parley resample --rate 48000).", ExitCodes.BadInput);
            var micMono = Mono(mic);
            var refMono = Mono(played);
            var clean = Parley.Audio.EchoCanceller.CancelRecording(micMono, mic.SampleRate, refMono, played.SampleRate, s.FilterMs);
            WavFile.Write(s.Output, clean, mic.SampleRate, 1);

            // Level in and out where the far end plays: with little near-end speech that difference is the ERLE.
            var refAtMic = played.SampleRate == mic.SampleRate ? refMono : new Parley.Audio.Resampler(played.SampleRate, mic.SampleRate).ConvertClip(refMono);
            Levels(micMono, clean, refAtMic, mic.SampleRate, out var inDb, out var outDb, out var activeMs, out var medianDb);
            var ic = CultureInfo.InvariantCulture;
            Console.WriteLine("parley aec: " + mic.SampleRate + " Hz mic (" + mic.Channels + " ch), " + played.SampleRate + " Hz ref (" + played.Channels + " ch), "
                              + mic.Frames + " frames -> " + s.Output);
            Console.WriteLine(activeMs > 0
                ? "parley aec: while the reference plays (" + (activeMs / 1000.0).ToString("0.0", ic) + " s): mic " + inDb.ToString("0.0", ic) + " dBFS, output "
                  + outDb.ToString("0.0", ic) + " dBFS, reduction " + (inDb - outDb).ToString("0.0", ic) + " dB (median over 0.5 s windows "
                  + medianDb.ToString("0.0", ic) + " dB: near-end speech counts as output, so the median is the closer figure to the ERLE)"
                : "parley aec: the reference is silent; nothing to cancel");
            return Task.FromResult(ExitCodes.Ok);
        }

        static float[] Mono(WavFile w)
        {
            if (w.Channels == 1) return w.Samples;
            var y = new float[w.Frames];
            for (var i = 0; i < y.Length; i++)
            {
                float sum = 0;
                for (var c = 0; c < w.Channels; c++) sum += w.Samples[i * w.Channels + c];
                y[i] = sum / w.Channels;
            }
            return y;
        }

        /// <summary>
        /// RMS of mic and output (dBFS) over the 20 ms frames where the reference is within 40 dB of its loudest frame,
        /// and the median of mic-over-output in 0.5 s windows of such frames.
        /// </summary>
        static void Levels(float[] mic, float[] output, float[] reference, int rate, out double inDb, out double outDb, out int activeMs, out double medianDb)
        {
            var windows = new System.Collections.Generic.List<double>();
            double wm = 0, wo = 0;
            var wn = 0;
            var frame = rate / 50;
            var n = Math.Min(mic.Length, reference.Length);
            double peak = 0;
            for (var s = 0; s + frame <= n; s += frame) peak = Math.Max(peak, Energy(reference, s, frame));
            double m = 0, o = 0;
            var count = 0;
            for (var s = 0; s + frame <= n; s += frame)
            {
                if (peak <= 0 || Energy(reference, s, frame) < peak * 1e-4) continue;
                m += Energy(mic, s, frame);
                o += Energy(output, s, frame);
                count += frame;
                wm += Energy(mic, s, frame);
                wo += Energy(output, s, frame);
                if (++wn == 25)
                {
                    windows.Add(10 * Math.Log10(Math.Max(1e-20, wm) / Math.Max(1e-20, wo)));
                    wm = wo = 0;
                    wn = 0;
                }
            }
            windows.Sort();
            medianDb = windows.Count == 0 ? 0 : windows[windows.Count / 2];
            activeMs = (int)(count * 1000L / rate);
            inDb = 10 * Math.Log10(Math.Max(1e-20, m / Math.Max(1, count)));
            outDb = 10 * Math.Log10(Math.Max(1e-20, o / Math.Max(1, count)));
        }

        static double Energy(float[] x, int start, int count)
        {
            double e = 0;
            for (var i = start; i < start + count; i++) e += (double)x[i] * x[i];
            return e;
        }
    }
}
