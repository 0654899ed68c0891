using System.Diagnostics;

namespace Parley.Providers.Riva
{
    /// <summary>
    /// Remembers when each stretch of input audio was sent, so a recogniser's word end time (audio milliseconds)
    /// maps back to the moment the player stopped talking. A fixed ring: no allocation per chunk.
    /// </summary>
    public sealed class SpeechClock
    {
        readonly long[] _endMs;
        readonly long[] _stamp;
        int _next;
        int _count;
        long _sentSamples;
        readonly int _sampleRate;

        public SpeechClock(int sampleRate, int capacity = 1024)
        {
            _sampleRate = sampleRate;
            _endMs = new long[capacity];
            _stamp = new long[capacity];
        }

        public double SentMs => _sentSamples * 1000.0 / _sampleRate;

        public void Reset()
        {
            _sentSamples = 0;
            _count = 0;
            _next = 0;
        }

        public void OnSent(int samples)
        {
            _sentSamples += samples;
            _endMs[_next] = _sentSamples * 1000 / _sampleRate;
            _stamp[_next] = Stopwatch.GetTimestamp();
            _next = (_next + 1) % _endMs.Length;
            if (_count < _endMs.Length) _count++;
        }

        /// <summary>Timestamp at which audio position <paramref name="audioMs"/> had been sent; 0 if unknown or too old.</summary>
        public long TimestampOf(double audioMs)
        {
            if (audioMs < 0) return 0;
            for (var k = _count; k >= 1; k--)
            {
                var i = (_next - k + _endMs.Length) % _endMs.Length;
                if (_endMs[i] >= audioMs) return _stamp[i];
            }
            return 0;
        }
    }
}
