using System;
using System.Runtime.InteropServices;
using System.Threading;
using Parley.Audio.Kernels;

namespace Parley.Audio
{
    /// <summary>
    /// The jitter buffer between a provider's decoded audio (mono, provider output rate) and the audio thread.
    /// <para>Threads: one producer (the provider receive task) calls <see cref="BeginItem"/>, <see cref="Write(int, ReadOnlySpan{float})"/>
    /// and <see cref="EndItem"/>; one consumer (the audio thread) calls <see cref="Read"/>; <see cref="Flush"/> and
    /// every property are safe from any thread. Nothing here locks; <see cref="Read"/> never allocates or throws.</para>
    /// <para>Rules:</para>
    /// <list type="bullet">
    /// <item>Pre-roll: playback starts once <see cref="PrerollMs"/> are buffered, or earlier when the newest item has
    /// ended (all its audio is in). Before that <see cref="Read"/> outputs silence.</item>
    /// <item>Adaptive pre-roll (when the maximum pre-roll is above the minimum): playback starts once the pre-roll
    /// and at least one render block (the largest <see cref="Read"/>) plus the fade reserve are buffered. When more audio
    /// of the item that underran arrives (it was late, not cut by a flush nor followed by a new item) the pre-roll doubles, up to the maximum, for the
    /// resumption and the items after it; each playout that then runs to a clean end with nothing late gives back a
    /// sixteenth of the excess over the minimum. A jitter buffer that learns the connection, as WebRTC's NetEq does.</item>
    /// <item>Jitter estimate (adaptive only, <see cref="JitterMs"/>): each chunk's lateness on the audio thread's clock,
    /// beyond one render block, relative to the item's earliest chunk; it persists across items and decays slowly. The
    /// start also waits for it, and the time-stretch expands below it (up to a block) and accelerates only above it.</item>
    /// <item>Time-stretch (when on): while more audio of the playing item is expected but too little is buffered for
    /// the block being read, whole pitch periods are inserted into what is buffered (staged aside, at most doubling it)
    /// instead of underrunning; once a spare block beyond the block and reserve has built up, periods are removed
    /// again, never more than were inserted since playback (re)started. Stretched output credits the played cursor
    /// pro rata with the source samples it stands for (<see cref="Expanded"/>, <see cref="Accelerated"/>).</item>
    /// <item>Underrun: while more audio is expected, the last <see cref="FadeSamples"/> are held back; when the
    /// buffer would run dry those held samples are played under a raised-cosine fade-out, then silence, and
    /// <see cref="Underruns"/> counts one. Playback resumes after pre-roll again with a fade-in of the same length.
    /// An item that has ended and plays out completely is not an underrun and is not faded.</item>
    /// <item>Flush (interruption): every item registered so far is cut. The audio thread fades out over the next
    /// (at most <see cref="FadeSamples"/>) samples of the playing item, then discards the rest; audio written
    /// later for those items is discarded on arrival. Discarded samples count in <see cref="Discarded"/>.</item>
    /// <item>Played cursor: <see cref="Played"/> counts source samples of an item taken from the buffer and rendered,
    /// including samples attenuated by a fade-in or fade-out (they were audible). Inserted silence, flushed and
    /// dropped samples never count. It only grows.</item>
    /// <item>Overflow: a write that does not fit keeps what fits and drops the rest (the newest samples); the
    /// producer never waits. Dropped samples count in <see cref="Dropped"/>.</item>
    /// </list>
    /// </summary>
    public sealed unsafe class PlayoutBuffer
    {
        /// <summary>Items whose played cursor stays queryable (the most recent ones).</summary>
        public const int TrackedItems = 256;
        /// <summary>Item runs (item changes in the written stream) that can be buffered at once.</summary>
        public const int MaxBufferedRuns = 256;
        public const double MaxFadeMs = 5;

        readonly float[] _samples;
        readonly int[] _segmentItem = new int[MaxBufferedRuns];
        readonly int[] _segmentStart = new int[MaxBufferedRuns];
        readonly long[] _played = new long[TrackedItems];
        readonly int[] _itemHandle = new int[TrackedItems];
        readonly bool[] _itemEnded = new bool[TrackedItems];
        readonly float[] _fadeGain;
        SpscRingState _ring;
        SpscRingState _segments;
        PlayoutState _state;

        // Producer-owned.
        int _lastRegistered;
        int _lastWrittenItem;
        // Arrival measurement of the item being written (adaptive only): its samples written so far, the least of
        // (clock at arrival − position) over its chunks, and the most any chunk came later than that.
        int _arrivalItem;
        int _arrivalPosition;
        int _arrivalBase;
        int _arrivalPeak;

        /// <param name="sampleRate">Rate of the audio written (the provider's output rate).</param>
        /// <param name="capacity">Samples buffered at most, a power of two. Providers send faster than real time,
        /// so size it for a whole response (2^21 holds 87 s at 24 kHz, 8 MiB).</param>
        /// <param name="prerollMs">Audio buffered before playback starts (raised to two fade lengths at least).</param>
        /// <param name="fadeMs">Fade-in/fade-out length, above 0 and at most <see cref="MaxFadeMs"/>.</param>
        /// <param name="maxPrerollMs">Largest adaptive pre-roll; at or below <paramref name="prerollMs"/> (the default 0)
        /// the pre-roll is fixed, otherwise <paramref name="prerollMs"/> is where it starts and the least it decays to.</param>
        /// <param name="timeStretch">When more audio of the playing item is expected but too little is buffered for the next
        /// render, expand what is buffered by whole pitch periods instead of underrunning, and later compress back as much
        /// as was expanded once a cushion builds up (see the class rules).</param>
        public PlayoutBuffer(int sampleRate, int capacity, double prerollMs = 100, double fadeMs = MaxFadeMs, double maxPrerollMs = 0, bool timeStretch = false)
        {
            if (sampleRate < AudioFormat.MinSampleRate || sampleRate > AudioFormat.MaxSampleRate)
                throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate,
                    "Sample rate must be between " + AudioFormat.MinSampleRate + " and " + AudioFormat.MaxSampleRate + " Hz.");
            SpscRingBuffer.ValidateCapacity(capacity, nameof(capacity));
            if (!(fadeMs > 0 && fadeMs <= MaxFadeMs))
                throw new ArgumentOutOfRangeException(nameof(fadeMs), fadeMs, "Fade must be above 0 and at most " + MaxFadeMs + " ms.");
            var fade = Math.Max(1, (int)(fadeMs * sampleRate / 1000.0));
            var capacityMs = capacity * 1000.0 / sampleRate;
            if (!(prerollMs >= 0 && prerollMs < capacityMs))
                throw new ArgumentOutOfRangeException(nameof(prerollMs), prerollMs, "Pre-roll must be from 0 to below the capacity (" + capacityMs + " ms).");
            if (!(maxPrerollMs >= 0 && maxPrerollMs < capacityMs))
                throw new ArgumentOutOfRangeException(nameof(maxPrerollMs), maxPrerollMs, "Maximum pre-roll must be from 0 to below the capacity (" + capacityMs + " ms).");

            SampleRate = sampleRate;
            _samples = new float[capacity];
            _fadeGain = new float[fade + 1];
            for (var i = 0; i <= fade; i++) _fadeGain[i] = (float)(0.5 - 0.5 * Math.Cos(Math.PI * i / fade));
            fixed (SpscRingState* r = &_ring) SpscRingKernel.Init(r, capacity);
            fixed (SpscRingState* s = &_segments) SpscRingKernel.Init(s, MaxBufferedRuns);
            _state.FadeLength = fade;
            _state.PrerollSamples = Math.Min(capacity, Math.Max((int)(prerollMs * sampleRate / 1000.0), 2 * fade));
            _state.MinPrerollSamples = _state.PrerollSamples;
            _state.MaxPrerollSamples = Math.Min(capacity, Math.Max((int)(maxPrerollMs * sampleRate / 1000.0), _state.PrerollSamples));
            _state.ItemMask = TrackedItems - 1;
            if (timeStretch)
            {
                _state.StretchMinLag = Math.Max(2, (int)(MinStretchLagMs * sampleRate / 1000.0));
                _state.StretchMaxLag = (int)(MaxStretchLagMs * sampleRate / 1000.0);
                // Staging holds what is buffered when a block runs short (under a render block and the reserve, well
                // under 100 ms) and its expansion, plus a half for the two periods acceleration reads.
                _state.StretchCapacity = 2 * Math.Max(8 * _state.StretchMaxLag, sampleRate / 10);
                _stretch = new float[_state.StretchCapacity];
            }
        }

        /// <summary>Pitch-period search range of the time-stretch: 67–400 Hz voices (a lower voice repeats two periods).</summary>
        public const double MinStretchLagMs = 2.5, MaxStretchLagMs = 15;
        readonly float[] _stretch;

        public int SampleRate { get; }
        public int Capacity => _samples.Length;
        public int FadeSamples => _state.FadeLength;
        /// <summary>Current pre-roll (it moves between <see cref="MinPrerollMs"/> and <see cref="MaxPrerollMs"/> when adaptive).</summary>
        public double PrerollMs => Volatile.Read(ref _state.PrerollSamples) * 1000.0 / SampleRate;
        public double MinPrerollMs => _state.MinPrerollSamples * 1000.0 / SampleRate;
        public double MaxPrerollMs => _state.MaxPrerollSamples * 1000.0 / SampleRate;
        public bool AdaptivePreroll => _state.MaxPrerollSamples > _state.MinPrerollSamples;
        /// <summary>Adaptive only: the jitter estimate (see the class rules); playback starts once a render block, the fade
        /// reserve and this much are buffered, and the time-stretch keeps up to a block of it.</summary>
        public double JitterMs => Volatile.Read(ref _state.JitterSamples) * 1000.0 / SampleRate;

        /// <summary>True while audio (including a fade) is being rendered; false while pre-rolling or idle.</summary>
        public bool IsPlaying => Volatile.Read(ref _state.IsPlaying) != 0;

        /// <summary>Handle of the item whose audio was rendered most recently (it stays after playback stops); 0 before any.</summary>
        public int CurrentItem => Volatile.Read(ref _state.CurrentItem);

        /// <summary>Source samples buffered: in the ring, plus those a time-stretch has staged for the audio thread.</summary>
        public int BufferedSamples { get { fixed (SpscRingState* r = &_ring) return SpscRingKernel.Readable(r) + Volatile.Read(ref _state.StretchSource); } }
        public double BufferedMs => BufferedSamples * 1000.0 / SampleRate;

        public long Underruns => Interlocked.Read(ref _state.Underruns);
        /// <summary>Samples dropped because the buffer was full.</summary>
        public long Dropped => Interlocked.Read(ref _state.Dropped);
        /// <summary>Samples discarded by <see cref="Flush"/> (buffered, or written later for a flushed item).</summary>
        public long Discarded => Interlocked.Read(ref _state.Discarded);
        /// <summary>Samples taken from the buffer and rendered, all items.</summary>
        public long Rendered => Interlocked.Read(ref _state.Rendered);
        /// <summary>Time-stretch: output samples inserted (expansion) and removed (acceleration) so far.</summary>
        public long Expanded => Interlocked.Read(ref _state.Expanded);
        public long Accelerated => Interlocked.Read(ref _state.Accelerated);
        public bool TimeStretch => _state.StretchCapacity > 0;

        /// <summary>Producer: registers the next response item; its audio plays after everything written before.</summary>
        public int BeginItem()
        {
            if (_lastRegistered == int.MaxValue) throw new InvalidOperationException("Item handles are exhausted.");
            var handle = _lastRegistered + 1;
            var slot = handle & (TrackedItems - 1);
            // A slot is reused 256 items later; by then its old item has long finished playing.
            Interlocked.Exchange(ref _played[slot], 0);
            _itemEnded[slot] = false;
            Volatile.Write(ref _itemHandle[slot], handle);
            Volatile.Write(ref _lastRegistered, handle);
            return handle;
        }

        /// <summary>Producer: queues audio of <paramref name="item"/>; returns samples accepted (the rest was dropped or discarded).</summary>
        /// <exception cref="ArgumentException">Unknown item handle.</exception>
        /// <exception cref="InvalidOperationException">The item has ended.</exception>
        public int Write(int item, ReadOnlySpan<float> samples)
        {
            if (!Admit(item, samples.Length)) return 0;
            int n;
            fixed (SpscRingState* r = &_ring)
            fixed (float* d = _samples)
            fixed (float* s = &MemoryMarshal.GetReference(samples))
                n = SpscRingKernel.Write(r, d, s, samples.Length);
            CountDropped(samples.Length - n);
            return n;
        }

        /// <summary>Producer: queues PCM16 audio (as decoded from the wire), converted to float straight into the buffer.</summary>
        /// <inheritdoc cref="Write(int, ReadOnlySpan{float})"/>
        public int Write(int item, ReadOnlySpan<short> pcm16)
        {
            if (!Admit(item, pcm16.Length)) return 0;
            int n;
            fixed (SpscRingState* r = &_ring)
            fixed (float* d = _samples)
            fixed (short* s = &MemoryMarshal.GetReference(pcm16))
                n = SpscRingKernel.WritePcm16(r, d, s, pcm16.Length);
            CountDropped(pcm16.Length - n);
            return n;
        }

        /// <inheritdoc cref="Write(int, ReadOnlySpan{float})"/>
        public int Write(int item, float[] samples, int offset, int count) => Write(item, (ReadOnlySpan<float>)SpscRingBuffer.Slice(samples, offset, count));

        /// <summary>Producer: no more audio will come for <paramref name="item"/>; lets it play out without pre-roll or reserve.</summary>
        public void EndItem(int item)
        {
            var slot = CheckItem(item);
            _itemEnded[slot] = true;
            // Only the newest run can still grow; once its item ended (or was flushed) everything buffered is final.
            var newest = _lastWrittenItem;
            if (newest == 0 || _itemEnded[newest & (TrackedItems - 1)] || newest <= Volatile.Read(ref _state.FlushThrough))
                Volatile.Write(ref _state.CompleteThrough, _ring.Written);
        }

        /// <summary>
        /// Any thread: cuts every item registered so far (interruption). The audio thread fades out within
        /// <see cref="FadeSamples"/> and drops the rest; items registered afterwards play normally.
        /// </summary>
        public void Flush()
        {
            var through = Volatile.Read(ref _lastRegistered);
            var seen = Volatile.Read(ref _state.FlushThrough);
            while (seen < through)
            {
                var was = Interlocked.CompareExchange(ref _state.FlushThrough, through, seen);
                if (was == seen) break;
                seen = was;
            }
        }

        /// <summary>Samples of <paramref name="item"/> rendered so far (see the played-cursor rule above).</summary>
        /// <exception cref="ArgumentException">Not a registered handle, or older than the last <see cref="TrackedItems"/> items.</exception>
        public long Played(int item)
        {
            var slot = CheckItem(item);
            var played = Interlocked.Read(ref _played[slot]);
            if (Volatile.Read(ref _itemHandle[slot]) != item) throw NotTracked(item);
            return played;
        }

        /// <summary>
        /// Audio thread: fills all of <paramref name="output"/>, with silence where there is nothing to play, and
        /// returns how many samples came from the buffer. Never blocks, allocates or throws.
        /// </summary>
        public int Read(Span<float> output)
        {
            fixed (float* dst = &MemoryMarshal.GetReference(output))
            fixed (PlayoutState* st = &_state)
            fixed (SpscRingState* ring = &_ring)
            fixed (SpscRingState* segments = &_segments)
            fixed (float* samples = _samples)
            fixed (int* segmentItem = _segmentItem)
            fixed (int* segmentStart = _segmentStart)
            fixed (long* played = _played)
            fixed (float* gain = _fadeGain)
            fixed (float* stretch = _stretch)
            {
                var m = new PlayoutMemory
                {
                    State = st, Ring = ring, Samples = samples, Segments = segments,
                    SegmentItem = segmentItem, SegmentStart = segmentStart, Played = played, FadeGain = gain, Stretch = stretch,
                };
                return FrameKernels.Current.RenderPlayout(&m, dst, output.Length);
            }
        }

        /// <summary>
        /// Audio thread only (the consumer), between <see cref="Read"/>s: copies queued samples not yet rendered, without
        /// consuming them, from ring position <paramref name="from"/> (the read position when behind it), stopping at
        /// audio of a flushed item. Returns the count; <paramref name="start"/> is the ring position of the first one.
        /// </summary>
        internal int Peek(int from, Span<float> destination, out int start)
        {
            int first;
            int n;
            fixed (float* dst = &MemoryMarshal.GetReference(destination))
            fixed (SpscRingState* ring = &_ring)
            fixed (SpscRingState* segments = &_segments)
            fixed (float* samples = _samples)
            fixed (int* segmentItem = _segmentItem)
            fixed (int* segmentStart = _segmentStart)
            {
                var m = new PlayoutMemory { Ring = ring, Samples = samples, Segments = segments, SegmentItem = segmentItem, SegmentStart = segmentStart };
                n = FrameKernels.Current.PeekPlayout(&m, from, Volatile.Read(ref _state.FlushThrough), dst, destination.Length, &first);
            }
            start = first;
            return n;
        }

        /// <summary>Audio thread only (the consumer), between <see cref="Read"/>s: where rendering stands, for read-ahead.</summary>
        internal PlayoutCursor Cursor => new PlayoutCursor(_ring.Read, _state.Clock, _state.StretchEnd - _state.StretchStart, _state.Cuts, _state.CutClock);

        /// <summary>Validates a write; discards it (false) for a flushed item; opens a new run when the item changes.</summary>
        bool Admit(int item, int count)
        {
            var slot = CheckItem(item);
            if (_itemEnded[slot]) throw new InvalidOperationException("Item " + item + " has ended; no more audio can be written for it.");
            if (count == 0) return false;
            if (item <= Volatile.Read(ref _state.FlushThrough))
            {
                Interlocked.Add(ref _state.Discarded, count);
                return false;
            }
            if (item == _lastWrittenItem)
            {
                MeasureArrival(item, count);
                return true;
            }
            bool pushed;
            fixed (SpscRingState* ring = &_ring)
            fixed (SpscRingState* segments = &_segments)
            fixed (int* segmentItem = _segmentItem)
            fixed (int* segmentStart = _segmentStart)
            {
                var m = new PlayoutMemory { Ring = ring, Segments = segments, SegmentItem = segmentItem, SegmentStart = segmentStart };
                pushed = PlayoutKernel.PushSegment(&m, item);
            }
            if (!pushed)
            {
                CountDropped(count);
                return false;
            }
            _lastWrittenItem = item;
            MeasureArrival(item, count);
            return true;
        }

        /// <summary>
        /// Producer: how late this chunk came relative to the item's earliest chunk, on the audio thread's clock (the
        /// clock only advances by render blocks, so one block of lateness is the clock's grain, not jitter). The
        /// estimate rises at once to any chunk's lateness and, at each new item, falls by an eighth of its excess over
        /// the previous item's latest chunk: a connection that stays jittery keeps it, a calm one loses it over ~15 items.
        /// </summary>
        void MeasureArrival(int item, int count)
        {
            if (!AdaptivePreroll) return;
            var clock = Volatile.Read(ref _state.Clock);
            var estimate = Volatile.Read(ref _state.JitterSamples);
            if (item != _arrivalItem)
            {
                if (_arrivalItem != 0) estimate -= (estimate - _arrivalPeak) / 8;
                _arrivalItem = item;
                _arrivalPosition = 0;
                _arrivalBase = clock;
                _arrivalPeak = 0;
            }
            var due = unchecked(clock - _arrivalPosition);
            var late = unchecked(due - _arrivalBase);
            if (late < 0)
            {
                _arrivalBase = due;
                late = 0;
            }
            late = Math.Min(Math.Max(0, late - Volatile.Read(ref _state.LargestRequest)), _state.MaxPrerollSamples);
            if (late > _arrivalPeak) _arrivalPeak = late;
            if (late > estimate) estimate = late;
            Volatile.Write(ref _state.JitterSamples, estimate);
            _arrivalPosition = unchecked(_arrivalPosition + count);
        }

        void CountDropped(int samples)
        {
            if (samples > 0) Interlocked.Add(ref _state.Dropped, samples);
        }

        int CheckItem(int item)
        {
            if (item <= 0 || item > Volatile.Read(ref _lastRegistered))
                throw new ArgumentException("Item " + item + " was not registered with BeginItem.", nameof(item));
            var slot = item & (TrackedItems - 1);
            if (Volatile.Read(ref _itemHandle[slot]) != item) throw NotTracked(item);
            return slot;
        }

        static ArgumentException NotTracked(int item) =>
            new ArgumentException("Item " + item + " is older than the last " + TrackedItems + " items and no longer tracked.", nameof(item));
    }

    /// <summary>
    /// Where a <see cref="PlayoutBuffer"/>'s rendering stands (positions are the ring's free-running sample counters,
    /// compared by difference): the ring read position, the render clock (source samples every render asked for),
    /// time-stretched samples staged to play before the ring, and the count and clock of cuts (flushed audio falling
    /// silent at the end of its fade-out).
    /// </summary>
    internal readonly struct PlayoutCursor
    {
        public readonly int Read;
        public readonly int Clock;
        public readonly int Staged;
        public readonly int Cuts;
        public readonly int CutClock;

        public PlayoutCursor(int read, int clock, int staged, int cuts, int cutClock)
        {
            Read = read;
            Clock = clock;
            Staged = staged;
            Cuts = cuts;
            CutClock = cutClock;
        }
    }
}
