using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Parley.Providers;

namespace Parley.Tests.Support
{
    /// <summary>Records a provider's events and audio; waits on a monitor (no polling sleeps).</summary>
    public sealed class EventRecorder : IProviderListener
    {
        public static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
        readonly List<ProviderEvent> _events = new List<ProviderEvent>();
        readonly List<short> _audio = new List<short>();

        public void OnEvent(ProviderEvent e)
        {
            lock (_events)
            {
                _events.Add(e);
                Monitor.PulseAll(_events);
            }
        }

        public void OnAudio(string itemId, ReadOnlySpan<short> pcm)
        {
            lock (_events)
            {
                _audio.AddRange(pcm.ToArray());
                Monitor.PulseAll(_events);
            }
        }

        public short[] Audio { get { lock (_events) return _audio.ToArray(); } }

        public List<T> All<T>() where T : ProviderEvent { lock (_events) return _events.OfType<T>().ToList(); }

        public T Wait<T>(Func<T, bool> match = null) where T : ProviderEvent
        {
            T found = null;
            WaitUntil(() => (found = _events.OfType<T>().FirstOrDefault(e => match == null || match(e))) != null, typeof(T).Name);
            return found;
        }

        /// <summary>Waits until <paramref name="condition"/> (evaluated under the recorder's lock) holds.</summary>
        public void WaitUntil(Func<bool> condition, string what)
        {
            var deadline = DateTime.UtcNow + Bound;
            lock (_events)
            {
                while (!condition())
                {
                    var left = deadline - DateTime.UtcNow;
                    if (left <= TimeSpan.Zero)
                        throw new TimeoutException("No " + what + "; saw " + string.Join(", ", _events.Select(e => e.Kind)));
                    Monitor.Wait(_events, left);
                }
            }
        }
    }
}
