using System.Threading;

namespace Parley.Audio.Kernels
{
    /// <summary>
    /// Read-ahead into a playout (Burst-friendly: no allocation, no throw, no virtual calls): copies audio that is
    /// queued but not yet rendered, without consuming it, so an analyser can see what will play next. Only the ring's
    /// consumer (the audio thread) calls it, between renders: the read position and the run boundaries it walks cannot
    /// move meanwhile, and the producer only appends.
    /// </summary>
    public static unsafe class PlayoutPeekKernel
    {
        /// <summary>
        /// Copies up to <paramref name="max"/> queued samples from ring position <paramref name="from"/> (the read
        /// position when <paramref name="from"/> is behind it or past the written end) into <paramref name="dst"/>,
        /// stopping at the first run of an item at or below <paramref name="flushThrough"/> (cut audio never plays).
        /// Returns the count; <paramref name="start"/> receives the position of the first copied sample.
        /// </summary>
        public static int Peek(PlayoutMemory* m, int from, int flushThrough, float* dst, int max, int* start)
        {
            var ring = m->Ring;
            var r = ring->Read;
            var written = Volatile.Read(ref ring->Written);
            if (unchecked(from - r) < 0 || unchecked(written - from) < 0) from = r;
            *start = from;
            var seg = m->Segments;
            var sw = Volatile.Read(ref seg->Written);
            var i = seg->Read;
            var done = 0;
            while (done < max && unchecked(written - from) > 0 && unchecked(sw - i) > 0)
            {
                // The run holding `from`: the last boundary at or before it.
                while (unchecked(sw - i) >= 2 && unchecked(m->SegmentStart[unchecked(i + 1) & seg->Mask] - from) <= 0) i = unchecked(i + 1);
                if (m->SegmentItem[i & seg->Mask] <= flushThrough) break;
                var end = unchecked(sw - i) >= 2 ? m->SegmentStart[unchecked(i + 1) & seg->Mask] : written;
                var n = Min(unchecked(end - from), max - done);
                var at = from & ring->Mask;
                var first = Min(ring->Capacity - at, n);
                for (var k = 0; k < first; k++) dst[done + k] = m->Samples[at + k];
                for (var k = first; k < n; k++) dst[done + k] = m->Samples[k - first];
                done += n;
                from = unchecked(from + n);
            }
            return done;
        }

        static int Min(int a, int b) => a < b ? a : b;
    }
}
