using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Parley.Providers;

namespace Parley.Tests.HostOnly.SelfHosted
{
    /// <summary>Collects a provider's events and audio (per item) and lets a test wait for a condition with a timeout.</summary>
    public sealed class RecordingListener : IProviderListener
    {
        readonly object _gate = new object();
        public readonly List<ProviderEvent> Events = new List<ProviderEvent>();
        public readonly Dictionary<string, List<short>> Audio = new Dictionary<string, List<short>>();
        public Action<ProviderEvent> OnEventHook;

        public void OnEvent(ProviderEvent e)
        {
            lock (_gate)
            {
                Events.Add(e);
                Monitor.PulseAll(_gate);
            }
            OnEventHook?.Invoke(e);
        }

        public void OnAudio(string itemId, ReadOnlySpan<short> pcm)
        {
            lock (_gate)
            {
                if (!Audio.TryGetValue(itemId, out var list)) Audio[itemId] = list = new List<short>();
                for (var i = 0; i < pcm.Length; i++) list.Add(pcm[i]);
                Monitor.PulseAll(_gate);
            }
        }

        public List<T> All<T>() where T : ProviderEvent
        {
            lock (_gate) return Events.OfType<T>().ToList();
        }

        public int Samples(string itemId)
        {
            lock (_gate) return Audio.TryGetValue(itemId, out var l) ? l.Count : 0;
        }

        public short[] AudioOf(string itemId)
        {
            lock (_gate) return Audio.TryGetValue(itemId, out var l) ? l.ToArray() : new short[0];
        }

        public int TotalSamples
        {
            get { lock (_gate) return Audio.Values.Sum(l => l.Count); }
        }

        /// <summary>Waits until <paramref name="condition"/> holds; fails the test with <paramref name="what"/> after the timeout.</summary>
        public void WaitUntil(Func<bool> condition, string what, int timeoutMs = 20000)
        {
            var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
            lock (_gate)
            {
                while (true)
                {
                    Monitor.Exit(_gate);
                    bool ok;
                    try { ok = condition(); }
                    finally { Monitor.Enter(_gate); }
                    if (ok) return;
                    var left = deadline - DateTime.UtcNow;
                    if (left <= TimeSpan.Zero)
                        throw new TimeoutException("Timed out waiting for " + what + ". Events: " + string.Join(", ", Events.Select(Describe)));
                    Monitor.Wait(_gate, left < TimeSpan.FromMilliseconds(100) ? left : TimeSpan.FromMilliseconds(100));
                }
            }
        }

        public T WaitFor<T>(Func<T, bool> match, string what, int timeoutMs = 20000) where T : ProviderEvent
        {
            T found = null;
            WaitUntil(() => (found = All<T>().FirstOrDefault(match)) != null, what, timeoutMs);
            return found;
        }

        static string Describe(ProviderEvent e)
        {
            switch (e)
            {
                case ProviderError err: return "Error(" + err + ")";
                case ResponseDone d: return "ResponseDone(" + d.Status + "," + d.Reason + ")";
                case UserTranscript u: return "User(" + u.Text + (u.IsFinal ? ",final" : "") + ")";
                default: return e.Kind.ToString();
            }
        }
    }

    public static class Pcm
    {
        public static short[] From(float[] samples)
        {
            var pcm = new short[samples.Length];
            for (var i = 0; i < pcm.Length; i++) pcm[i] = (short)Math.Max(-32768, Math.Min(32767, Math.Round(samples[i] * 32768.0)));
            return pcm;
        }

        public static short[] Speech(string id, int rate) => From(Parley.Tests.Support.TestWav.Speech(id, rate).Samples);

        /// <summary>The speech followed by <paramref name="silenceMs"/> of digital silence.</summary>
        public static short[] WithSilence(short[] speech, int rate, int silenceMs)
        {
            var pcm = new short[speech.Length + rate * silenceMs / 1000];
            Array.Copy(speech, pcm, speech.Length);
            return pcm;
        }

        public static string Text(string id)
        {
            foreach (var line in System.IO.File.ReadAllLines(Parley.Tests.Support.PackagePaths.Fixture("audio", "texts.csv")))
            {
                if (!line.StartsWith(id + ",")) continue;
                var parts = line.Split(new[] { ',' }, 5);
                return parts[4].Trim('"');
            }
            throw new ArgumentException("no text for " + id);
        }
    }
}
