using System;
using Parley.Audio;

namespace Parley.Session.Audio
{
    /// <summary>
    /// Read-ahead from a <see cref="PlayoutSpeaker"/>'s queue for analysers (lipsync). Before each render it copies what is
    /// queued past the played cursor, up to <see cref="HorizonMs"/> beyond the render, without consuming it; after the
    /// render it stamps those samples with when they will be heard (the block's play time, plus what the resampler made
    /// beyond the block and its filter delay, plus the time-stretched and queued audio ahead of them) and hands them to
    /// the listeners. So a listener sees audio about <see cref="HorizonMs"/> before it is heard, whatever the output
    /// latency. Silence that plays while nothing is queued is handed on as zeros, so the stream keeps time; audio waiting
    /// for a pre-roll is handed on only once it plays. A cut (flush) drops what was read of the cut audio, which will
    /// never play, and tells the listeners when the cut is heard. Audio thread only (the playout's consumer); no
    /// allocation, no lock.
    /// </summary>
    public sealed class PlayoutReadAhead
    {
        /// <summary>How far past each render the queue is read: more than the lipsync analyser's delay (42.5 ms) plus a hop.</summary>
        public const double HorizonMs = 60;

        readonly PlayoutBuffer _playout;
        readonly float[] _peek;
        readonly float[] _zeros;
        int _cursor;          // ring position up to which the listeners have the audio
        int _peeked;
        int _peekStart;
        int _cuts;
        bool _started;
        double _fedThrough = double.NaN;   // play time up to which the listeners have the stream

        internal PlayoutReadAhead(PlayoutBuffer playout, int maxSourcePerRender, PlayoutReadAhead continues = null)
        {
            _playout = playout;
            _peek = new float[maxSourcePerRender + (int)Math.Ceiling(HorizonMs * playout.SampleRate / 1000)];
            _zeros = new float[_peek.Length];
            if (continues == null) return;
            _cursor = continues._cursor;
            _cuts = continues._cuts;
            _started = continues._started;
            _fedThrough = continues._fedThrough;
        }

        /// <summary>Before the render: copies the queued audio from where the listeners stand up to the horizon.</summary>
        internal void BeforeRender()
        {
            var c = _playout.Cursor;
            if (!_started)
            {
                _started = true;
                _cursor = c.Read;
                _cuts = c.Cuts;
            }
            var ahead = Math.Max(0, unchecked(_cursor - c.Read));   // behind the read position after a cut skipped audio
            _peeked = ahead < _peek.Length ? _playout.Peek(unchecked(c.Read + ahead), new Span<float>(_peek, 0, _peek.Length - ahead), out _peekStart) : 0;
        }

        /// <summary>After the render of <paramref name="frames"/> engine frames heard from <paramref name="playTime"/>: stamps and hands on.</summary>
        internal void AfterRender(double playTime, int frames, int carried, int engineRate, double groupDelayInputFrames, IPlayoutReadAheadListener[] listeners)
        {
            var c = _playout.Cursor;
            var rate = _playout.SampleRate;
            // The next source sample the resampler gets (staged stretch audio first, then the ring at c.Read).
            var next = playTime + (frames + carried) / (double)engineRate + groupDelayInputFrames / rate;
            if (c.Cuts != _cuts)
            {
                _cuts = c.Cuts;
                var heardAt = next - unchecked(c.Clock - c.CutClock) / (double)rate;
                for (var i = 0; i < listeners.Length; i++) listeners[i].OnCut(heardAt);
                _fedThrough = heardAt;
                // What was read before this render is all cut audio: the read stops at flushed items, and audio after them
                // comes from items registered after the flush, so after the read.
                _peeked = 0;
                _cursor = c.Read;
            }
            var n = _peeked;
            if (!_playout.IsPlaying) n = Math.Min(n, Math.Max(0, unchecked(c.Read - _peekStart)));
            if (n > 0)
            {
                var at = next + (c.Staged + unchecked(_peekStart - c.Read)) / (double)rate;
                FillTo(at, rate, listeners);
                var queued = new ReadOnlySpan<float>(_peek, 0, n);
                for (var i = 0; i < listeners.Length; i++) listeners[i].OnQueued(queued, rate, at);
                _cursor = unchecked(_peekStart + n);
                _fedThrough = at + n / (double)rate;
            }
            FillTo(playTime + frames / (double)engineRate, rate, listeners);
        }

        // Silence plays (nothing read ahead up to `time`): zeros, so the listeners' stream keeps time. A longer gap (no
        // listener for a while) is skipped rather than filled.
        void FillTo(double time, int rate, IPlayoutReadAheadListener[] listeners)
        {
            if (double.IsNaN(_fedThrough))
            {
                _fedThrough = time;
                return;
            }
            var n = (int)Math.Round((time - _fedThrough) * rate);
            if (n <= 0) return;
            n = Math.Min(n, _zeros.Length);
            var zeros = new ReadOnlySpan<float>(_zeros, 0, n);
            for (var i = 0; i < listeners.Length; i++) listeners[i].OnQueued(zeros, rate, time - n / (double)rate);
            _fedThrough = time;
        }
    }
}
