// One AudioSource's playback in the simulated mixer. The clip is read at its own rate and converted to the output
// rate by linear interpolation (Unity resamples clips to the mixer rate, audio-behaviour.md §3; its resampler is not
// modelled: equal rates at pitch 1 copy samples exactly). A streamed clip pulls PCMReaderCallback in chunks ahead
// of the play head (§4: the callback runs ahead of what was heard, so timeSamples is the played position) and
// fires PCMSetPositionCallback on Play, seek and loop. Then the GameObject's OnAudioFilterRead chain runs on the
// audio thread in component order; with no clip the first filter starts from zeros and acts as the source (§3).
using System;
using System.Threading;
using UnityEngine;

namespace Parley.Simulation
{
    internal sealed class SourceVoice
    {
        readonly AudioSource _source;
        volatile bool _playing;
        internal bool Paused;
        double _position;            // frames since Play, at the clip's rate (fractional)
        int _timeSamples;

        // Streamed clips: frames fetched from the reader and not yet played ([_fifoStart, _fifoStart + _fifoFrames)).
        float[] _fifo = Array.Empty<float>();
        long _fifoStart;
        int _fifoFrames;
        int _readCursor;
        bool _streamEnded;
        float[] _chunk = Array.Empty<float>();
        long _framesRequested;

        internal SourceVoice(AudioSource source) { _source = source; }

        internal bool Playing => _playing;

        internal int TimeSamples => Volatile.Read(ref _timeSamples);

        /// <summary>Total frames handed to the streamed clip's PCMReaderCallback since the last Play or seek.</summary>
        internal long FramesRequested => Interlocked.Read(ref _framesRequested);

        internal bool Audible =>
            _playing && !Paused && !_source.m_Destroyed && _source.EnabledUnchecked && _source.m_GameObject != null
            && _source.m_GameObject.ActiveInHierarchyUnchecked;

        /// <summary>Play restarts a playing source from the start and starts a stopped one where timeSamples points.</summary>
        internal void Play()
        {
            var start = _playing ? 0 : TimeSamples;
            _playing = true;
            Paused = false;
            MoveTo(start);
        }

        internal void Stop()
        {
            _playing = false;
            Paused = false;
            _position = 0;
            Volatile.Write(ref _timeSamples, 0);
        }

        internal void Seek(int frame)
        {
            var clip = _source.ClipUnchecked;
            if (clip == null) return;
            MoveTo(Math.Max(0, Math.Min(frame, clip.m_Samples - 1)));
        }

        void MoveTo(int frame)
        {
            _position = frame;
            Volatile.Write(ref _timeSamples, frame);
            var clip = _source.ClipUnchecked;
            if (clip == null || !clip.m_Stream) return;
            _fifoStart = frame;
            _fifoFrames = 0;
            _readCursor = frame;
            _streamEnded = false;
            Interlocked.Exchange(ref _framesRequested, 0);
            clip.m_SetPosition?.Invoke(frame);
        }

        /// <summary>Renders one block into <paramref name="block"/> (cleared first) and runs the filter chain. Audio thread.</summary>
        internal void Render(float[] block, int frames, int channels, int outputRate, float gain)
        {
            Array.Clear(block, 0, block.Length);
            var clip = _source.ClipUnchecked;
            if (clip != null) RenderClip(clip, block, frames, channels, outputRate, gain * _source.VolumeUnchecked);
            AudioEngine.RunFilterChain(_source.m_GameObject, block, channels);
        }

        void RenderClip(AudioClip clip, float[] block, int frames, int channels, int outputRate, float gain)
        {
            var step = clip.m_Frequency * (double)_source.PitchUnchecked / outputRate;
            var loop = _source.LoopUnchecked;
            long total = clip.m_Samples;
            var clipChannels = clip.m_Channels;
            if (clip.m_Stream) Fetch(clip, (long)Math.Floor(_position + frames * step) + 2, loop);
            var finished = false;
            for (var i = 0; i < frames; i++)
            {
                if (!loop && _position >= total) { finished = true; break; }
                var i0 = (long)Math.Floor(_position);
                var frac = _position - i0;
                for (var c = 0; c < channels; c++)
                {
                    var cc = clipChannels == 1 ? 0 : c;
                    if (cc >= clipChannels) continue;
                    var s0 = Sample(clip, i0, cc, loop);
                    var v = frac == 0 ? s0 : s0 + (Sample(clip, i0 + 1, cc, loop) - s0) * (float)frac;
                    block[i * channels + c] = v * gain;
                }
                _position += step;
            }
            if (clip.m_Stream) Drop((long)Math.Floor(_position));
            if (finished || (!loop && _position >= total))
            {
                _playing = false;
                _position = 0;
                Volatile.Write(ref _timeSamples, 0);
                return;
            }
            Volatile.Write(ref _timeSamples, (int)((long)Math.Floor(_position) % total));
        }

        float Sample(AudioClip clip, long frame, int channel, bool loop)
        {
            if (clip.m_Stream)
            {
                var idx = frame - _fifoStart;
                return idx < 0 || idx >= _fifoFrames ? 0f : _fifo[idx * clip.m_Channels + channel];
            }
            long total = clip.m_Samples;
            if (loop) frame %= total;
            else if (frame >= total) return 0f;
            return clip.m_Data[frame * clip.m_Channels + channel];
        }

        /// <summary>Pulls reader chunks until at least one chunk beyond <paramref name="untilFrame"/> is buffered (read-ahead).</summary>
        void Fetch(AudioClip clip, long untilFrame, bool loop)
        {
            var chunkFrames = Engine.Player?.Options.StreamChunkFrames ?? 4096;
            var ch = clip.m_Channels;
            while (!_streamEnded && _fifoStart + _fifoFrames < untilFrame + chunkFrames)
            {
                var n = Math.Min(chunkFrames, clip.m_Samples - _readCursor);
                if (n <= 0)
                {
                    if (!loop) { _streamEnded = true; break; }
                    _readCursor = 0;
                    clip.m_SetPosition?.Invoke(0);
                    continue;
                }
                if (_chunk.Length != n * ch) _chunk = new float[n * ch];
                else Array.Clear(_chunk, 0, _chunk.Length);
                clip.m_Reader?.Invoke(_chunk);
                Append(_chunk, n, ch);
                _readCursor += n;
                Interlocked.Add(ref _framesRequested, n);
            }
        }

        void Append(float[] data, int frames, int ch)
        {
            var needed = (_fifoFrames + frames) * ch;
            if (_fifo.Length < needed) Array.Resize(ref _fifo, Math.Max(needed, _fifo.Length * 2));
            Array.Copy(data, 0, _fifo, _fifoFrames * ch, frames * ch);
            _fifoFrames += frames;
        }

        void Drop(long beforeFrame)
        {
            var ch = _source.ClipUnchecked.m_Channels;
            var drop = (int)Math.Min(_fifoFrames, Math.Max(0, beforeFrame - _fifoStart));
            if (drop == 0) return;
            Array.Copy(_fifo, drop * ch, _fifo, 0, (_fifoFrames - drop) * ch);
            _fifoFrames -= drop;
            _fifoStart += drop;
        }

    }
}
