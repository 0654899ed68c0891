using System;

namespace Parley.Session.Audio
{
    /// <summary>
    /// Player audio (provider-rate PCM16) between the capture tick and the send task, bounded: while the
    /// connection is down it holds up to its capacity and then drops the oldest audio, counting it. The send
    /// task peeks, sends, and only then consumes, so audio in flight when a connection drops is sent again
    /// after the reconnect. Not the audio thread: a lock is fine here.
    /// </summary>
    public sealed class InputBacklog
    {
        readonly short[] _buffer;
        readonly object _gate = new object();
        int _start, _count;
        long _dropped;

        public InputBacklog(int capacitySamples)
        {
            if (capacitySamples <= 0) throw new ArgumentOutOfRangeException(nameof(capacitySamples));
            _buffer = new short[capacitySamples];
        }

        public int Capacity => _buffer.Length;
        public int Count { get { lock (_gate) return _count; } }
        public long Dropped { get { lock (_gate) return _dropped; } }

        public void Write(ReadOnlySpan<short> pcm)
        {
            lock (_gate)
            {
                if (pcm.Length > _buffer.Length)
                {
                    _dropped += pcm.Length - _buffer.Length;
                    pcm = pcm.Slice(pcm.Length - _buffer.Length);
                }
                var overflow = _count + pcm.Length - _buffer.Length;
                if (overflow > 0)
                {
                    _start = (_start + overflow) % _buffer.Length;
                    _count -= overflow;
                    _dropped += overflow;
                }
                var end = (_start + _count) % _buffer.Length;
                var first = Math.Min(pcm.Length, _buffer.Length - end);
                pcm.Slice(0, first).CopyTo(_buffer.AsSpan(end));
                pcm.Slice(first).CopyTo(_buffer);
                _count += pcm.Length;
            }
        }

        /// <summary>Copies up to <paramref name="dest"/>.Length of the oldest samples without removing them.</summary>
        public int Peek(Span<short> dest)
        {
            lock (_gate)
            {
                var n = Math.Min(dest.Length, _count);
                var first = Math.Min(n, _buffer.Length - _start);
                _buffer.AsSpan(_start, first).CopyTo(dest);
                _buffer.AsSpan(0, n - first).CopyTo(dest.Slice(first));
                return n;
            }
        }

        /// <summary>Removes up to <paramref name="samples"/> of the oldest samples (after they were sent).</summary>
        public void Consume(int samples)
        {
            lock (_gate)
            {
                var n = Math.Min(samples, _count);
                _start = (_start + n) % _buffer.Length;
                _count -= n;
            }
        }

        public void Clear() { lock (_gate) { _start = 0; _count = 0; } }
    }
}
