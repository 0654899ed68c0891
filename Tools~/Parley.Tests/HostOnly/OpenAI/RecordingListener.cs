using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Parley.Providers;

namespace Parley.Tests.HostOnly.OpenAI
{
    /// <summary>Collects provider events and audio, and lets a test wait for a condition with a timeout.</summary>
    public sealed class RecordingListener : IProviderListener
    {
        readonly object _gate = new object();
        readonly List<ProviderEvent> _events = new List<ProviderEvent>();
        readonly Dictionary<string, List<short>> _audio = new Dictionary<string, List<short>>();
        public Action<ProviderEvent> OnEventHook;

        public void OnEvent(ProviderEvent e)
        {
            lock (_gate)
            {
                _events.Add(e);
                Monitor.PulseAll(_gate);
            }
            OnEventHook?.Invoke(e);
        }

        public void OnAudio(string itemId, ReadOnlySpan<short> pcm)
        {
            lock (_gate)
            {
                if (!_audio.TryGetValue(itemId, out var list)) _audio[itemId] = list = new List<short>();
                list.AddRange(pcm.ToArray());
                Monitor.PulseAll(_gate);
            }
        }

        public List<T> All<T>() where T : ProviderEvent { lock (_gate) return _events.OfType<T>().ToList(); }
        public List<ProviderEvent> Events { get { lock (_gate) return _events.ToList(); } }
        public Dictionary<string, short[]> Audio { get { lock (_gate) return _audio.ToDictionary(k => k.Key, v => v.Value.ToArray()); } }
        public int AudioSamples(string itemId) { lock (_gate) return _audio.TryGetValue(itemId, out var l) ? l.Count : 0; }

        /// <summary>Waits until <paramref name="condition"/> holds; throws TimeoutException with the events seen.</summary>
        public void WaitFor(Func<RecordingListener, bool> condition, double seconds = 20, string what = "condition")
        {
            var deadline = DateTime.UtcNow.AddSeconds(seconds);
            lock (_gate)
            {
                while (true)
                {
                    Monitor.Exit(_gate);
                    bool ok;
                    try { ok = condition(this); }
                    finally { Monitor.Enter(_gate); }
                    if (ok) return;
                    var left = deadline - DateTime.UtcNow;
                    if (left <= TimeSpan.Zero)
                        throw new TimeoutException("Timed out waiting for " + what + ". Events: " + string.Join(", ", _events.Select(Describe)));
                    Monitor.Wait(_gate, left < TimeSpan.FromMilliseconds(200) ? left : TimeSpan.FromMilliseconds(200));
                }
            }
        }

        public T WaitForEvent<T>(Func<T, bool> match = null, double seconds = 20) where T : ProviderEvent
        {
            T found = null;
            WaitFor(l => (found = l.All<T>().FirstOrDefault(e => match == null || match(e))) != null, seconds, typeof(T).Name);
            return found;
        }

        static string Describe(ProviderEvent e) => e is ProviderError pe ? "Error(" + pe + ")" : e is ResponseDone d ? "ResponseDone(" + d.Status + ")" : e.Kind.ToString();
    }
}
