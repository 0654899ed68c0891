using System;
using System.Threading;

namespace Parley.Unity.Voice
{
    /// <summary>
    /// The echo reference of a microphone: the sum of what every agent's voice played, on the DSP clock, as the
    /// speakers send it (the block's <c>dspTime</c> plus the output latency Unity reports). Each <see cref="AgentVoice"/>
    /// it listens to adds its blocks on the audio thread (<see cref="IPlayedSignalListener"/>); one consumer reads the
    /// mix on the main thread (<see cref="Read"/>). Lock-free and allocation-free on both sides: a ring of samples
    /// tagged with their DSP frame (a slot holding another frame reads as silence, so a voice that did not play adds
    /// nothing), where a block is complete once any voice has started a later one (every source renders block k before
    /// any renders k + 1), and a reader that fell a ring behind notices it after the copy (the tags moved on) and
    /// skips forward. The ring runs at the output rate; when the rate changes (<c>OnAudioConfigurationChanged</c>)
    /// <see cref="SetRate"/> swaps in a ring at the new rate on the main thread and blocks of the old rate are dropped.
    /// </summary>
    public sealed class EchoReferenceMix : IPlayedSignalListener
    {
        sealed class Ring
        {
            public readonly int Rate;
            public readonly float[] Samples;
            public readonly long[] Frames;
            public readonly int Mask;
            public long NewestStart = long.MinValue;   // written by the audio thread, read by the consumer
            public long NewestEnd = long.MinValue;
            public long FirstStart = long.MinValue;

            public Ring(int rate, double seconds)
            {
                Rate = rate;
                var n = 1;
                while (n < seconds * rate) n <<= 1;
                Samples = new float[n];
                Frames = new long[n];
                for (var i = 0; i < n; i++) Frames[i] = long.MinValue;
                Mask = n - 1;
            }
        }

        readonly double _seconds;
        Ring _ring;
        long _readFrame = long.MinValue;   // consumer only
        long _dropped;
        long _mismatched;

        /// <param name="sampleRate">Output rate (AudioSettings.outputSampleRate).</param>
        /// <param name="seconds">How far the consumer may fall behind before it loses played samples.</param>
        public EchoReferenceMix(int sampleRate, double seconds = 2)
        {
            if (sampleRate <= 0) throw new ArgumentOutOfRangeException(nameof(sampleRate));
            if (!(seconds > 0 && seconds <= 30)) throw new ArgumentOutOfRangeException(nameof(seconds));
            _seconds = seconds;
            _ring = new Ring(sampleRate, seconds);
        }

        /// <summary>Rate of the samples <see cref="Read"/> returns (the output rate).</summary>
        public int SampleRate => Volatile.Read(ref _ring).Rate;
        /// <summary>Played samples the consumer lost by falling more than the ring behind.</summary>
        public long Dropped => Interlocked.Read(ref _dropped);
        /// <summary>Blocks dropped because they came at another rate than the ring's (between a rate change and <see cref="SetRate"/>).</summary>
        public long MismatchedBlocks => Interlocked.Read(ref _mismatched);

        /// <summary>
        /// Main thread: the output rate changed. A new ring at <paramref name="sampleRate"/> replaces the old one (whose
        /// unread samples are dropped: the device reset stopped the sources, so what they hold was cut anyway). Returns
        /// true if the rate changed. Allocates (once per device change).
        /// </summary>
        public bool SetRate(int sampleRate)
        {
            if (sampleRate <= 0) throw new ArgumentOutOfRangeException(nameof(sampleRate));
            if (Volatile.Read(ref _ring).Rate == sampleRate) return false;
            Volatile.Write(ref _ring, new Ring(sampleRate, _seconds));
            _readFrame = long.MinValue;
            return true;
        }

        // ───── audio thread ─────

        void IPlayedSignalListener.OnPlayed(ReadOnlySpan<float> mono, int sampleRate, double playTime)
        {
            var ring = Volatile.Read(ref _ring);
            if (sampleRate != ring.Rate) { Interlocked.Increment(ref _mismatched); return; }
            var start = (long)Math.Round(playTime * sampleRate);
            var samples = ring.Samples;
            var frames = ring.Frames;
            for (var i = 0; i < mono.Length; i++)
            {
                var f = start + i;
                var s = (int)(f & ring.Mask);
                if (frames[s] == f) samples[s] += mono[i];
                else { samples[s] = mono[i]; frames[s] = f; }
            }
            // Published after the samples: a reader that sees this start may read every frame before it.
            if (Volatile.Read(ref ring.FirstStart) == long.MinValue) Volatile.Write(ref ring.FirstStart, start);
            if (start > Volatile.Read(ref ring.NewestStart)) Volatile.Write(ref ring.NewestStart, start);
            var end = start + mono.Length;
            if (end > Volatile.Read(ref ring.NewestEnd)) Volatile.Write(ref ring.NewestEnd, end);
        }

        void IPlayedSignalListener.OnPlayedFlushed() { }

        // ───── consumer (main thread) ─────

        /// <summary>
        /// Copies the oldest unread complete played samples (silence where no voice played) into
        /// <paramref name="destination"/>; returns how many, and in <paramref name="playTime"/> when the first leaves the
        /// speakers (dspTime clock). Reads follow each other sample for sample unless <paramref name="playTime"/> jumps
        /// (the first read, a rate change, or a reader that fell behind).
        /// </summary>
        public int Read(Span<float> destination, out double playTime)
        {
            var ring = Volatile.Read(ref _ring);
            playTime = 0;
            var newest = Volatile.Read(ref ring.NewestStart);
            var first = Volatile.Read(ref ring.FirstStart);
            if (first == long.MinValue || newest == long.MinValue) return 0;
            var capacity = ring.Samples.Length;
            if (_readFrame == long.MinValue) _readFrame = Math.Max(first, newest - capacity / 2);
            if (newest - _readFrame > capacity / 2) Skip(ref _readFrame, newest - capacity / 2);
            var n = (int)Math.Min(destination.Length, Math.Max(0, newest - _readFrame));
            var samples = ring.Samples;
            var frames = ring.Frames;
            for (var i = 0; i < n; i++)
            {
                var f = _readFrame + i;
                var s = (int)(f & ring.Mask);
                destination[i] = frames[s] == f ? samples[s] : 0f;
            }
            // Seqlock-style check: if the writer lapped what we copied (end beyond a ring past the start), drop it.
            // (a block still being written reaches at most a block past the published end).
            var end = Volatile.Read(ref ring.NewestEnd);
            if (end + (end - newest) - capacity > _readFrame)
            {
                Skip(ref _readFrame, end - capacity / 2);
                return 0;
            }
            playTime = _readFrame / (double)ring.Rate;
            _readFrame += n;
            return n;
        }

        void Skip(ref long from, long to)
        {
            if (to <= from) return;
            Interlocked.Add(ref _dropped, to - from);
            from = to;
        }
    }
}
