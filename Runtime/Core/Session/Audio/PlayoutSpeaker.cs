using System;
using System.Collections.Generic;
using System.Threading;
using Parley.Audio;

namespace Parley.Session.Audio
{
    /// <summary>
    /// The default speaker: a <see cref="PlayoutBuffer"/> at the provider's output rate drained on the audio
    /// thread through a <see cref="Resampler"/> to the engine rate. Item ids map to the buffer's int handles on
    /// the producer side, so the audio thread never touches strings. Render allocates nothing.
    /// </summary>
    public sealed class PlayoutSpeaker : ISpeakerOutput
    {
        readonly PlayoutBuffer _playout;
        readonly Resampler _resampler;
        readonly Dictionary<string, int> _handles = new Dictionary<string, int>(StringComparer.Ordinal);
        // Handle → id, so CurrentItemId needs no lookup on the reading side; PlayoutBuffer tracks 256 items.
        readonly string[] _ids = new string[PlayoutBuffer.TrackedItems];
        readonly object _producer = new object();
        readonly float[] _source;
        readonly float[] _mono;
        readonly int _maxFrames;
        // Resampled frames made beyond the last block: the fewest source frames for N engine frames can make a
        // few more when the ratio is not whole (22.05 → 48 kHz), and they belong at the start of the next block.
        int _carried;
        long _agentFrames;
        // After WithEngineRate: the new resampler starts from silence, so its first input is faded in (raised cosine)
        // rather than stepping in, which would ring through the filter.
        readonly int _fadeInLength;
        int _fadeIn;
        readonly PlayoutReadAhead _readAhead;

        /// <summary>Adaptive pre-roll bounds: start after ~one chunk (and one render block), learn up to 200 ms on a jittery connection.
        /// Time-stretch is on: a block that runs short is expanded by pitch periods rather than faded out.</summary>
        public const double MinPrerollMs = 20, MaxPrerollMs = 200;

        /// <param name="maxRenderFrames">Largest engine block Render is called with (Unity's DSP buffer, the CLI tick).</param>
        /// <param name="capacitySamples">Playout capacity at the provider rate; a power of two (default ≈ 87 s at 24 kHz).</param>
        public PlayoutSpeaker(int providerRate, int engineRate, int maxRenderFrames, int capacitySamples = 1 << 21)
        {
            _playout = new PlayoutBuffer(providerRate, capacitySamples, prerollMs: MinPrerollMs, maxPrerollMs: MaxPrerollMs, timeStretch: true);
            _resampler = new Resampler(providerRate, engineRate);
            EngineSampleRate = engineRate;
            _maxFrames = maxRenderFrames;
            _mono = new float[maxRenderFrames + _resampler.MaxOutputFor(1)];
            _source = new float[_resampler.InputNeededFor(maxRenderFrames) + 1];
            _readAhead = new PlayoutReadAhead(_playout, _source.Length);
        }

        // The same playout (queued audio, items, played counts) through a new resampler: see WithEngineRate.
        PlayoutSpeaker(PlayoutSpeaker other, int engineRate, int maxRenderFrames)
        {
            _playout = other._playout;
            _handles = other._handles;
            _ids = other._ids;
            _producer = other._producer;
            _agentFrames = other.AgentFramesRendered;
            _fadeInLength = _playout.FadeSamples;
            _resampler = new Resampler(_playout.SampleRate, engineRate);
            EngineSampleRate = engineRate;
            _maxFrames = maxRenderFrames;
            _mono = new float[maxRenderFrames + _resampler.MaxOutputFor(1)];
            _source = new float[_resampler.InputNeededFor(maxRenderFrames) + 1];
            _readAhead = new PlayoutReadAhead(_playout, _source.Length, other._readAhead);
        }

        /// <summary>
        /// A speaker that plays this one's queue at another engine rate (the output device changed): nothing queued is
        /// lost and the played cursors go on. Call it while neither is rendering (Unity has stopped every source
        /// when it reports a new configuration); render only the new one from then on.
        /// </summary>
        public PlayoutSpeaker WithEngineRate(int engineRate, int maxRenderFrames) => new PlayoutSpeaker(this, engineRate, maxRenderFrames);

        public PlayoutBuffer Buffer => _playout;
        public int SampleRate => _playout.SampleRate;
        public int EngineSampleRate { get; }
        public int FlushFadeMs => (int)Math.Ceiling(_playout.FadeSamples * 1000.0 / _playout.SampleRate);
        public bool IsPlaying => _playout.IsPlaying;
        public int QueuedSamples => _playout.BufferedSamples;
        public long Underruns => _playout.Underruns;
        public long AgentFramesRendered => Interlocked.Read(ref _agentFrames);

        public string CurrentItemId
        {
            get
            {
                var h = _playout.CurrentItem;
                return h == 0 ? null : Volatile.Read(ref _ids[h % _ids.Length]);
            }
        }

        public bool Write(string itemId, ReadOnlySpan<short> pcm)
        {
            int handle;
            lock (_producer) handle = HandleFor(itemId, true);
            return _playout.Write(handle, pcm) == pcm.Length;
        }

        public void EndItem(string itemId)
        {
            int handle;
            lock (_producer) handle = HandleFor(itemId, false);
            if (handle != 0) _playout.EndItem(handle);
        }

        public void Flush() => _playout.Flush();

        public int PlayedMs(string itemId)
        {
            int handle;
            lock (_producer) handle = HandleFor(itemId, false);
            return handle == 0 ? 0 : (int)(_playout.Played(handle) * 1000 / _playout.SampleRate);
        }

        public void Render(Span<float> interleaved, int channels)
        {
            var frames = Math.Min(interleaved.Length / channels, _maxFrames);
            var made = _carried;
            var wasPlaying = _playout.IsPlaying;
            if (made < frames)
            {
                var need = Math.Min(_resampler.InputNeededFor(frames - made), _source.Length);
                _playout.Read(new Span<float>(_source, 0, need));
                if (_fadeIn < _fadeInLength) _fadeIn = FadeIn(new Span<float>(_source, 0, need), _fadeIn, _fadeInLength);
                made += _resampler.Process(new ReadOnlySpan<float>(_source, 0, need), new Span<float>(_mono, made, _mono.Length - made));
            }
            for (var i = made; i < frames; i++) _mono[i] = 0;
            ChannelMixer.Upmix(new ReadOnlySpan<float>(_mono, 0, frames), channels, interleaved.Slice(0, frames * channels));
            interleaved.Slice(frames * channels).Clear();
            _carried = Math.Max(0, made - frames);
            if (_carried > 0) new Span<float>(_mono, frames, _carried).CopyTo(_mono);
            if (wasPlaying || _playout.IsPlaying) Interlocked.Add(ref _agentFrames, frames);
        }

        /// <summary>
        /// <see cref="Render(Span{float}, int)"/>, and hands <paramref name="readAhead"/> the queued audio ahead of this block
        /// (<see cref="PlayoutReadAhead"/>); <paramref name="playTime"/> is when the block's first frame is heard.
        /// </summary>
        public void Render(Span<float> interleaved, int channels, double playTime, IPlayoutReadAheadListener[] readAhead)
        {
            if (readAhead == null || readAhead.Length == 0)
            {
                Render(interleaved, channels);
                return;
            }
            _readAhead.BeforeRender();
            Render(interleaved, channels);
            var frames = Math.Min(interleaved.Length / channels, _maxFrames);
            _readAhead.AfterRender(playTime, frames, _carried, EngineSampleRate, _resampler.GroupDelayInputFrames, readAhead);
        }

        static int FadeIn(Span<float> x, int done, int length)
        {
            var i = 0;
            for (; i < x.Length && done < length; i++, done++) x[i] *= (float)(0.5 - 0.5 * Math.Cos(Math.PI * done / length));
            return done;
        }

        int HandleFor(string itemId, bool create)
        {
            if (itemId == null) itemId = string.Empty;
            if (_handles.TryGetValue(itemId, out var h)) return h;
            if (!create) return 0;
            h = _playout.BeginItem();
            // Forget ids whose handle slot is being reused, so the map stays bounded.
            var slot = h % _ids.Length;
            var old = _ids[slot];
            if (old != null) _handles.Remove(old);
            Volatile.Write(ref _ids[slot], itemId);
            _handles[itemId] = h;
            return h;
        }
    }
}
