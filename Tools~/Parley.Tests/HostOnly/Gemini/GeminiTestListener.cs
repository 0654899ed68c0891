using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Parley.Providers;

namespace Parley.Tests.HostOnly.Gemini
{
    /// <summary>Collects what a provider raises (on its receive task) so tests can wait for and count it.</summary>
    sealed class GeminiTestListener : IProviderListener
    {
        readonly object _gate = new object();
        readonly List<ProviderEvent> _events = new List<ProviderEvent>();
        readonly Dictionary<string, List<short>> _audio = new Dictionary<string, List<short>>();

        public void OnEvent(ProviderEvent e)
        {
            lock (_gate) _events.Add(e);
        }

        public void OnAudio(string itemId, ReadOnlySpan<short> pcm)
        {
            lock (_gate)
            {
                if (!_audio.TryGetValue(itemId ?? "", out var list)) _audio[itemId ?? ""] = list = new List<short>();
                list.AddRange(pcm.ToArray());
            }
        }

        public List<ProviderEvent> Events { get { lock (_gate) return _events.ToList(); } }
        public List<T> All<T>() where T : ProviderEvent { lock (_gate) return _events.OfType<T>().ToList(); }
        public int AudioSamples { get { lock (_gate) return _audio.Values.Sum(a => a.Count); } }
        public short[] Audio(string itemId) { lock (_gate) return _audio.TryGetValue(itemId, out var a) ? a.ToArray() : new short[0]; }
        public List<string> AudioItems { get { lock (_gate) return _audio.Keys.ToList(); } }

        /// <summary>Polls until <paramref name="done"/> holds; false after <paramref name="timeout"/> (generous: CPU is shared).</summary>
        public bool WaitUntil(Func<GeminiTestListener, bool> done, TimeSpan timeout)
        {
            var end = DateTime.UtcNow + timeout;
            while (DateTime.UtcNow < end)
            {
                if (done(this)) return true;
                Thread.Sleep(10);
            }
            return done(this);
        }

        public string Describe() => string.Join(", ", Events.Select(e => e is ProviderError pe ? pe.ToString() : e.Kind.ToString()));
    }
}
