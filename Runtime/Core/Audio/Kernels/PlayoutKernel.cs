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
            if (count > st->LargestRequest) Volatile.Write(ref st->LargestRequest, count);
            Volatile.Write(ref st->Clock, unchecked(st->Clock + count));
            var jitter = Volatile.Read(ref st->JitterSamples);
            while (done < count)
            {
                if (st->Phase == FadingOut)
                {
                    var want = Min(st->FadeOutLength - st->FadeOutPosition, count - done);
                    var got = Min(want, SpscRingKernel.Readable(m->Ring) + Staged(st));
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
                var run = HeadRun(m, segments, r);
                var staged = Staged(st);
                if (staged > 0)
                {
                    // Stretched audio plays first; it continues into the ring only while the ring holds the same item.
                    run = staged + (head == st->StretchItem ? run : 0);
                    head = st->StretchItem;
                    available += staged;
                }

                if (head != 0 && head <= flush)
                {
                    if (available > 0)
                    {
                        if (st->Phase == Playing)
                        {
                            // Fade out over the flushed item's next samples (at most one fade length), then skip.
                            StartFadeOut(st, Min(fade, Min(available, run)), 1);
                            MarkCut(st, count, done + st->FadeOutLength);
                            if (st->FadeOutLength > 0) continue;
                        }
                        else MarkCut(st, count, done);
                        SkipFlushed(m, flush);
                        st->Phase = Buffering;
                        st->ResumeWithFadeIn = 0;
                        st->AwaitingLate = 0;
                        st->StretchDebt = 0;
                        continue;
                    }
                    st->Phase = Buffering;
                    st->StretchDebt = 0;
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
                // Staged audio precedes the ring, so it is final whenever anything in the ring is.
                var final = unchecked(complete - r) >= 0 ? Min(unchecked(complete - r) + staged, available) : 0;
                var playable = complete == written ? available : Max(available - fade, final);
                if (st->StretchCapacity > 0 && complete != written)
                {
                    var need = count - done;
                    // Short of this block while more is coming: stretch what is buffered rather than run dry. With a
                    // cushion of a spare block beyond the reserve and a debt from earlier expansion: give one period back.
                    // With a jitter estimate, expand already when the level falls below it (NetEq's expansion before
                    // the buffer is empty), and keep that much when accelerating.
                    var low = Min(jitter, st->LargestRequest);
                    var changed = playable < need + low
                        ? Expand(m, segments, head, need + fade + low - available)
                        : st->StretchDebt > 0 && staged == 0 && final == 0 && segments == 1 &&
                          available - fade - need >= Max(need, jitter) + 2 * st->StretchMaxLag && Accelerate(m);
                    if (changed)
                    {
                        available = SpscRingKernel.Readable(m->Ring) + Staged(st);
                        playable = Max(available - fade, final);
                    }
                }
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
                    st->StretchDebt = 0;
                    if (st->ArrivedLate == 0) DecayPreroll(st);
                    st->ArrivedLate = 0;
                    continue;
                }
                Interlocked.Increment(ref st->Underruns);
                st->AwaitingLate = 1;
                st->StretchDebt = 0;
                StartFadeOut(st, Min(fade, left), 0);
                if (st->FadeOutLength == 0)
                {
                    st->Phase = Buffering;
                    st->ResumeWithFadeIn = 1;
                }
            }

            Volatile.Write(ref st->IsPlaying, st->Phase != Buffering ? 1 : 0);
            return taken;
        }

        /// <summary>Flushed audio falls silent <paramref name="at"/> samples into this render of <paramref name="count"/> (read-ahead discards what it read beyond).</summary>
        static void MarkCut(PlayoutState* st, int count, int at)
        {
            st->CutClock = unchecked(st->Clock - count + at);
            st->Cuts = unchecked(st->Cuts + 1);
        }

        static bool Adaptive(PlayoutState* st) => st->MaxPrerollSamples > st->MinPrerollSamples;

        /// <summary>Buffered samples that start playback: the pre-roll, and when adaptive at least one render block plus the fade reserve.</summary>
        static int StartThreshold(PlayoutState* st) =>
            Adaptive(st) ? Max(st->PrerollSamples, st->LargestRequest + st->FadeLength + Volatile.Read(ref st->JitterSamples)) : st->PrerollSamples;

        static int BaseThreshold(PlayoutState* st) => Max(st->PrerollSamples, st->LargestRequest + st->FadeLength);

        // Audio of the same item came after the buffer ran dry: the connection is later than the pre-roll covers. Double it (from the
        // threshold actually used), up to the maximum; this item resumes with it already.
        static void GrowPreroll(PlayoutState* st)
        {
            st->ArrivedLate = 1;
            if (!Adaptive(st)) return;
            var grown = Min(st->MaxPrerollSamples, 2 * BaseThreshold(st));
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
            var st = m->State;
            var staged = Staged(st);
            if (staged > 0)
            {
                var n = Min(count, staged);
                var from = m->Stretch + st->StretchStart;
                for (var i = 0; i < n; i++) dst[i] = from[i];
                // Stretched output maps back to source time pro rata, so the cursor (and a truncation) stays in source samples.
                var credit = n == staged ? st->StretchSource : (int)((long)n * st->StretchSource / staged);
                Credit(m, st->StretchItem, credit);
                Volatile.Write(ref st->StretchSource, st->StretchSource - credit);
                st->StretchStart += n;
                if (st->StretchStart == st->StretchEnd) st->StretchStart = st->StretchEnd = 0;
                dst += n;
                count -= n;
            }
            while (count > 0)
            {
                var r = m->Ring->Read;
                var segments = AdvanceSegments(m, r);
                var n = SpscRingKernel.Read(m->Ring, m->Samples, dst, Min(count, HeadRun(m, segments, r)));
                if (n == 0) break;
                Credit(m, HeadItem(m, segments), n);
                dst += n;
                count -= n;
            }
        }

        static void Credit(PlayoutMemory* m, int item, int samples)
        {
            if (samples > 0) Interlocked.Add(ref m->State->Rendered, samples);
            if (item == 0) return;
            Interlocked.Add(ref m->Played[item & m->State->ItemMask], samples);
            Volatile.Write(ref m->State->CurrentItem, item);
        }

        static int Staged(PlayoutState* st) => st->StretchEnd - st->StretchStart;

        /// <summary>
        /// Inserts pitch periods into the newest open run until <paramref name="deficit"/> more samples are available:
        /// the ring's samples move behind what is already staged (same item only), and periods are inserted at the end
        /// of the staged audio, which then joins the next arrival. Expansion stops at twice the source staged (a stretch
        /// ratio of 2 at most) or when the periods no longer fit; what is still short becomes an ordinary faded underrun.
        /// </summary>
        static bool Expand(PlayoutMemory* m, int segments, int head, int deficit)
        {
            var st = m->State;
            var ring = m->Ring;
            var ringHead = HeadItem(m, segments);
            if (segments > 1 || (Staged(st) > 0 && ringHead != 0 && ringHead != st->StretchItem)) return false;
            if (Staged(st) == 0)
            {
                st->StretchStart = st->StretchEnd = 0;
                st->StretchItem = head;
            }
            else if (st->StretchStart > 0)
            {
                var n = Staged(st);
                for (var i = 0; i < n; i++) m->Stretch[i] = m->Stretch[st->StretchStart + i];
                st->StretchStart = 0;
                st->StretchEnd = n;
            }
            var move = Min(SpscRingKernel.Readable(ring), st->StretchCapacity / 2 - st->StretchEnd);
            if (move > 0)
            {
                move = SpscRingKernel.Read(ring, m->Samples, m->Stretch + st->StretchEnd, move);
                st->StretchEnd += move;
                Volatile.Write(ref st->StretchSource, st->StretchSource + move);
            }
            var grew = false;
            float score;
            while (deficit > 0)
            {
                var length = st->StretchEnd;
                var lag = StretchKernel.BestLag(m->Stretch, length, st->StretchMinLag, st->StretchMaxLag, true, &score);
                if (lag == 0 || length + lag > 2 * st->StretchSource || length + lag > st->StretchCapacity) break;
                StretchKernel.InsertPeriod(m->Stretch, length, lag);
                st->StretchEnd = length + lag;
                st->StretchDebt += lag;
                Interlocked.Add(ref st->Expanded, lag);
                deficit -= lag;
                grew = true;
            }
            return grew || move > 0;
        }

        /// <summary>Removes one pitch period (at most the expansion debt) from the head of the ring into the staging.</summary>
        static bool Accelerate(PlayoutMemory* m)
        {
            var st = m->State;
            var maxLag = Min(st->StretchMaxLag, st->StretchDebt);
            if (maxLag < st->StretchMinLag) return false;
            // Two periods of source, taken from the ring without credit: the staged output credits them as it plays.
            st->StretchItem = HeadItem(m, AdvanceSegments(m, m->Ring->Read));
            var n = SpscRingKernel.Read(m->Ring, m->Samples, m->Stretch + st->StretchCapacity / 2, 2 * maxLag);
            var src = m->Stretch + st->StretchCapacity / 2;
            float score;
            var lag = StretchKernel.BestLag(src, n, st->StretchMinLag, maxLag, false, &score);
            if (lag == 0) lag = n / 2;
            StretchKernel.RemovePeriod(src, lag, m->Stretch);
            // Samples past the two periods go back behind them, as the staged tail.
            for (var i = 2 * lag; i < n; i++) m->Stretch[i - lag] = src[i];
            st->StretchStart = 0;
            st->StretchEnd = n - lag;
            Volatile.Write(ref st->StretchSource, n);
            st->StretchDebt -= lag;
            Interlocked.Add(ref st->Accelerated, lag);
            return true;
        }

        /// <summary>Discards buffered runs of flushed items at the read position.</summary>
        static void SkipFlushed(PlayoutMemory* m, int flush)
        {
            var st = m->State;
            if (Staged(st) > 0 && st->StretchItem <= flush)
            {
                Interlocked.Add(ref st->Discarded, st->StretchSource);
                Volatile.Write(ref st->StretchSource, 0);
                st->StretchStart = st->StretchEnd = 0;
            }
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
