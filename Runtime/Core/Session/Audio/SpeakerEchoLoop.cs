using System;
using Parley.Audio;

namespace Parley.Session.Audio
{
    /// <summary>
    /// A virtual speaker's sound reaching a virtual microphone, for hosts that simulate both (`parley talk --echo`,
    /// `parley scene`): each rendered speaker block is brought to the microphone's rate, handed to the front end as
    /// its echo reference, and (through an <see cref="EchoPath"/>) queued as echo that <see cref="AddEcho"/> mixes
    /// into the next microphone block on every channel. Call <see cref="Played"/> then <see cref="AddEcho"/> each
    /// tick, before the microphone block goes to the session. Buffers are sized once; nothing is allocated per tick.
    /// </summary>
    public sealed class SpeakerEchoLoop
    {
        readonly Resampler _toMic;
        readonly EchoPath _path;
        readonly DuplexFrontEnd _frontEnd;
        readonly AudioFormat _mic;
        readonly float[] _atMic, _echo;
        int _echoStart, _echoCount;

        /// <param name="path">The room at the microphone's rate (null: no echo, the reference only).</param>
        /// <param name="frontEnd">Takes the played signal as its echo reference (null: echo only).</param>
        /// <param name="maxSpeakerFrames">Largest speaker block <see cref="Played"/> is given.</param>
        public SpeakerEchoLoop(int speakerRate, AudioFormat micFormat, int maxSpeakerFrames, EchoPath path, DuplexFrontEnd frontEnd)
        {
            if (path != null && path.SampleRate != micFormat.SampleRate)
                throw new ArgumentException("The echo path runs at " + path.SampleRate + " Hz, the microphone at " + micFormat.SampleRate + " Hz.", nameof(path));
            _mic = micFormat;
            _path = path;
            _frontEnd = frontEnd;
            _toMic = speakerRate != micFormat.SampleRate ? new Resampler(speakerRate, micFormat.SampleRate) : null;
            var max = _toMic?.MaxOutputFor(maxSpeakerFrames) ?? maxSpeakerFrames;
            _atMic = new float[max];
            _echo = new float[4 * max + 64];
        }

        public EchoPath Path => _path;

        /// <summary>A rendered speaker block (mono, speaker rate).</summary>
        public void Played(ReadOnlySpan<float> speaker)
        {
            int n;
            if (_toMic != null) n = _toMic.Process(speaker, _atMic);
            else { speaker.CopyTo(_atMic); n = speaker.Length; }
            var played = new ReadOnlySpan<float>(_atMic, 0, n);
            _frontEnd?.WriteReference(played);
            if (_path == null) return;
            // Queue the echo behind what the microphone has not taken yet (a ring; the oldest is dropped if it overflows).
            for (var i = 0; i < n; i++)
            {
                if (_echoCount == _echo.Length) { _echoStart = (_echoStart + 1) % _echo.Length; _echoCount--; }
                _echo[(_echoStart + _echoCount) % _echo.Length] = 0f;
                _echoCount++;
            }
            var at = (_echoStart + _echoCount - n + _echo.Length) % _echo.Length;
            var first = Math.Min(n, _echo.Length - at);
            _path.Process(played.Slice(0, first), new Span<float>(_echo, at, first));
            if (first < n) _path.Process(played.Slice(first), new Span<float>(_echo, 0, n - first));
        }

        /// <summary>Adds the queued echo to an interleaved microphone block (every channel); returns the frames that got echo.</summary>
        public int AddEcho(Span<float> interleaved)
        {
            var ch = _mic.Channels;
            var frames = Math.Min(interleaved.Length / ch, _echoCount);
            for (var i = 0; i < frames; i++)
            {
                var e = _echo[_echoStart];
                _echoStart = (_echoStart + 1) % _echo.Length;
                for (var c = 0; c < ch; c++) interleaved[i * ch + c] += e;
            }
            _echoCount -= frames;
            return frames;
        }
    }
}
