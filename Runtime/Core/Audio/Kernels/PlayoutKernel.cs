using System.Threading;

namespace Parley.Audio.Kernels
{
    /// <summary>
    /// The playout logic of <see cref="PlayoutBuffer"/> over raw memory (Burst-friendly: no allocation, no throw,
    /// no virtual calls, no strings). <see cref="Render"/> runs on the audio thread; <see cref="PushSegment"/> on
    /// the producer. Rules (pre-roll, fades, cursor) are documented on <see cref="PlayoutBuffer"/>.
    /// </summary>
    public static unsafe class PlayoutKernel
    {
        public const int Buffering = 0;
        public const int Playing = 1;
        public const int FadingOut = 2;

        /// <summary>
        /// Producer: starts a run of <paramref name="item"/> at the ring's current write position. Published
        /// (release) before any of the run's samples, so a consumer that has acquired those samples also sees
        /// the boundary. Returns false when the boundary ring is full.
        /// </summary>
        public static bool PushSegment(PlayoutMemory* m, int item)
        {
            var seg = m->Segments;
            var w = seg->Written;
            if (unchecked(w - Volatile.Read(ref seg->Read)) >= seg->Capacity) return false;
            var i = w & seg->Mask;
            m->SegmentItem[i] = item;
            m->SegmentStart[i] = m->Ring->Written;
            Volatile.Write(ref seg->Written, unchecked(w + 1));
            return true;
        }

        /// <summary>
        /// Audio thread: fills all of <paramref name="dst"/> (silence where there is nothing to play) and returns
        /// how many samples came from the buffer.
        /// </summary>
        public static int Render(PlayoutMemory* m, float* dst, int count)
        {
            var st = m->State;
            var fade = st->FadeLength;
            var done = 0;
            var taken = 0;
            if (count > st->LargestRequest) st->LargestRequest = count;
            while (done < count)
            {
                if (st->Phase == FadingOut)
                {
                    var want = Min(st->FadeOutLength - st->FadeOutPosition, count - done);
                    var got = Min(want, SpscRingKernel.Readable(m->Ring));
                    Take(m, dst + done, got);
                    FadeOut(st, m->FadeGain, dst + done, got);
                    Zero(dst + done + got, want - got);
                    taken += got;
                    done += want;
                    st->FadeOutPosition += want - got;
                    if (st->FadeOutPosition >= st->FadeOutLength)
                    {
                        st->Phase = Buffering;
                        st->ResumeWithFadeIn = st->FadeOutIsFlush == 0 ? 1 : 0;
                    }
                    continue;
                }

                // Acquire CompleteThrough before Written: the producer releases them in the other order, so the
                // Written seen here is never behind the CompleteThrough seen here.
                var flush = Volatile.Read(ref st->FlushThrough);
                var complete = Volatile.Read(ref st->CompleteThrough);
                var available = SpscRingKernel.Readable(m->Ring);
                var r = m->Ring->Read;
                var written = unchecked(r + available);
                var segments = AdvanceSegments(m, r);
                var head = HeadItem(m, segments);

                if (head != 0 && head <= flush)
                {
                    if (available > 0)
                    {
                        if (st->Phase == Playing)
                        {
                            // Fade out over the flushed item's next samples (at most one fade length), then skip.
                            StartFadeOut(st, Min(fade, Min(available, HeadRun(m, segments, r))), 1);
                            if (st->FadeOutLength > 0) continue;
                        }
                        SkipFlushed(m, flush);
                        st->Phase = Buffering;
                        st->ResumeWithFadeIn = 0;
                        st->AwaitingLate = 0;
                        continue;
                    }
                    st->Phase = Buffering;
                    st->ResumeWithFadeIn = 0;
                    st->AwaitingLate = 0; // what the underrun waited for was cut, not late
                }

                if (st->Phase == Buffering)
                {
                    if (available > 0 && st->AwaitingLate != 0)
                    {
                        // Late only if the item that ran dry goes on; a new item after one that was never ended is not.
                        if (head == st->CurrentItem) GrowPreroll(st);
                        st->AwaitingLate = 0;
                    }
                    if (available > 0 && (available >= StartThreshold(st) || complete == written))
                    {
                        st->Phase = Playing;
                        st->FadeInPosition = st->ResumeWithFadeIn != 0 ? 0 : fade;
                        st->ResumeWithFadeIn = 0;
                    }
                    else
                    {
                        Zero(dst + done, count - done);
                        break;
                    }
                }

                // Playing. While more audio is still expected, keep one fade length in reserve so that running dry
                // always leaves real samples to fade out over; audio the producer has finished plays to the end.
                var final = Min(Max(unchecked(complete - r), 0), available);
                var playable = complete == written ? available : Max(available - fade, final);
                var k = Min(playable, count - done);
                Take(m, dst + done, k);
                FadeIn(st, m->FadeGain, dst + done, k);
                done += k;
                taken += k;
                if (done == count) break;

                var left = available - k;
                if (left == 0 && complete == written)
                {
                    st->Phase = Buffering; // the item ended: not an underrun
                    st->ResumeWithFadeIn = 0;
                    if (st->ArrivedLate == 0) DecayPreroll(st);
                    st->ArrivedLate = 0;
                    continue;
                }
                Interlocked.Increment(ref st->Underruns);
                st->AwaitingLate = 1;
                StartFadeOut(st, Min(fade, left), 0);
                if (st->FadeOutLength == 0)
                {
                    st->Phase = Buffering;
                    st->ResumeWithFadeIn = 1;
                }
            }

            if (taken > 0) Interlocked.Add(ref st->Rendered, taken);
            Volatile.Write(ref st->IsPlaying, st->Phase != Buffering ? 1 : 0);
            return taken;
        }

        static bool Adaptive(PlayoutState* st) => st->MaxPrerollSamples > st->MinPrerollSamples;

        /// <summary>Buffered samples that start playback: the pre-roll, and when adaptive at least one render block plus the fade reserve.</summary>
        static int StartThreshold(PlayoutState* st) =>
            Adaptive(st) ? Max(st->PrerollSamples, st->LargestRequest + st->FadeLength) : st->PrerollSamples;

        // Audio of the same item came after the buffer ran dry: the connection is later than the pre-roll covers. Double it (from the
        // threshold actually used), up to the maximum; this item resumes with it already.
        static void GrowPreroll(PlayoutState* st)
        {
            st->ArrivedLate = 1;
            if (!Adaptive(st)) return;
            var grown = Min(st->MaxPrerollSamples, 2 * StartThreshold(st));
            if (grown > st->PrerollSamples) Volatile.Write(ref st->PrerollSamples, grown);
        }

        // Playout ran to a clean end with nothing late since the last one: give back a sixteenth of the excess over the
        // minimum, so a connection that calmed down regains its latency slowly (over ~10 replies), and a jittery one
        // that merely had a quiet reply keeps most of its protection.
        static void DecayPreroll(PlayoutState* st)
        {
            if (!Adaptive(st)) return;
            var excess = st->PrerollSamples - st->MinPrerollSamples;
            if (excess > 0) Volatile.Write(ref st->PrerollSamples, st->PrerollSamples - (excess + 15) / 16);
        }

        static void StartFadeOut(PlayoutState* st, int length, int isFlush)
        {
            st->FadeOutLength = length;
            st->FadeOutPosition = 0;
            st->FadeOutIsFlush = isFlush;
            if (length > 0) st->Phase = FadingOut;
        }

        /// <summary>Pops boundaries the read position has passed (keeping the current one); returns how many remain.</summary>
        static int AdvanceSegments(PlayoutMemory* m, int r)
        {
            var seg = m->Segments;
            var sw = Volatile.Read(ref seg->Written);
            var sr = seg->Read;
            while (unchecked(sw - sr) >= 2 && unchecked(m->SegmentStart[(sr + 1) & seg->Mask] - r) <= 0) sr = unchecked(sr + 1);
            if (sr != seg->Read) Volatile.Write(ref seg->Read, sr);
            return unchecked(sw - sr);
        }

        static int HeadItem(PlayoutMemory* m, int segments) =>
            segments > 0 ? m->SegmentItem[m->Segments->Read & m->Segments->Mask] : 0;

        /// <summary>Samples from <paramref name="r"/> to the next boundary (unbounded for the newest run).</summary>
        static int HeadRun(PlayoutMemory* m, int segments, int r) =>
            segments >= 2 ? unchecked(m->SegmentStart[(m->Segments->Read + 1) & m->Segments->Mask] - r) : int.MaxValue;

        /// <summary>Reads <paramref name="count"/> samples (all present), crediting each to its item's played cursor.</summary>
        static void Take(PlayoutMemory* m, float* dst, int count)
        {
            while (count > 0)
            {
                var r = m->Ring->Read;
                var segments = AdvanceSegments(m, r);
                var n = SpscRingKernel.Read(m->Ring, m->Samples, dst, Min(count, HeadRun(m, segments, r)));
                if (n == 0) break;
                var item = HeadItem(m, segments);
                if (item != 0)
                {
                    Interlocked.Add(ref m->Played[item & m->State->ItemMask], n);
                    Volatile.Write(ref m->State->CurrentItem, item);
                }
                dst += n;
                count -= n;
            }
        }

        /// <summary>Discards buffered runs of flushed items at the read position.</summary>
        static void SkipFlushed(PlayoutMemory* m, int flush)
        {
            while (true)
            {
                var r = m->Ring->Read;
                var segments = AdvanceSegments(m, r);
                var item = HeadItem(m, segments);
                if (item == 0 || item > flush) return;
                var n = SpscRingKernel.Skip(m->Ring, HeadRun(m, segments, r));
                if (n == 0) return;
                Interlocked.Add(ref m->State->Discarded, n);
            }
        }

        // Gain rises along the table from its first step, so the last faded-in sample is at full gain.
        static void FadeIn(PlayoutState* st, float* gain, float* dst, int count)
        {
            var p = st->FadeInPosition;
            var end = Min(count, st->FadeLength - p);
            for (var i = 0; i < end; i++) dst[i] *= gain[p + i + 1];
            if (end > 0) st->FadeInPosition = p + end;
        }

        // Mirror of the fade-in: gain falls along the table from full to its first step, then silence follows;
        // shorter fades step through the table faster. Every faded sample stays audible, so each counts as played.
        static void FadeOut(PlayoutState* st, float* gain, float* dst, int count)
        {
            var f = st->FadeLength;
            var length = st->FadeOutLength;
            var p = st->FadeOutPosition;
            for (var i = 0; i < count; i++) dst[i] *= gain[(length - p - i) * f / length];
            st->FadeOutPosition = p + count;
        }

        static void Zero(float* dst, int count)
        {
            for (var i = 0; i < count; i++) dst[i] = 0f;
        }

        static int Min(int a, int b) => a < b ? a : b;
        static int Max(int a, int b) => a > b ? a : b;
    }
}
