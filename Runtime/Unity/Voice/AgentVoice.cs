using System;
using System.Threading;
using Parley.Audio;
using Parley.Session.Audio;
using Parley.Unity.Audio;
using UnityEngine;

namespace Parley.Unity.Voice
{
    /// <summary>
    /// The agent's voice: plays the session's playout through this GameObject's AudioSource, drained on the audio
    /// thread in <c>OnAudioFilterRead</c>.
    /// Why a filter on a playing carrier clip, not a streaming clip: a streamed clip's reader runs ahead of the
    /// play head by an unconfirmed chunk size, so the played cursor would have to be reconstructed from
    /// <c>timeSamples</c> (a flush would also leave up to a chunk of read-ahead audio playing); a filter runs once
    /// per DSP block, so what it drains is exactly what is rendered. A filter used as a generator is neither panned
    /// nor scaled by the source's volume, so the source plays a looping clip of 1.0 (the carrier) and the filter
    /// multiplies the voice into it: volume, mute, 3D attenuation and panning reach the voice through the carrier.
    /// The played cursor is what the filter rendered minus the output latency Unity reports (DSP buffer × buffers).
    /// Read-ahead listeners (lipsync) get the voice still queued ahead of it, stamped with when it will be heard.
    /// A device change or <c>AudioSettings.Reset</c> stops every source: the voice restarts its source and fades
    /// in over <see cref="RestartFadeMs"/>, and a new output rate or a larger DSP buffer gets a new resampler over
    /// the same queue (the reply goes on); underruns fade in the playout buffer.
    /// </summary>
    [RequireComponent(typeof(AudioSource))]
    [DisallowMultipleComponent]
    [AddComponentMenu("Parley/Agent Voice")]
    [HelpURL(HelpLinks.AgentVoice)]
    public sealed class AgentVoice : MonoBehaviour, IAgentPlayout, IEchoReference, IPlayedSignalSource
    {
        /// <summary>Length of the fade-in after the source was restarted (device change, audio reset).</summary>
        public const double RestartFadeMs = 10;

        AudioSource _source;
        AudioClip _carrier;
        PlayoutSpeaker _speaker;
        float[] _render = new float[0];
        int _engineRate = 48000;
        int _speakerFrames;   // the largest block the speaker renders
        int _latencyMs;
        // Audio thread state: the remaining fade-in frames after a restart (set from the main thread).
        int _fadeFrames;
        int _fadeLeft;
        long _restarts;
        long _blocks;
        SpscRingBuffer _echo;
        float[] _echoScratch = new float[0];
        long _echoWritten;
        long _echoRead;
        long _echoDspOffset;   // DSP-clock frame index minus echo frame index, for the time stamps
        long _echoDropped;
        double _echoSeconds;
        // Played-signal listeners (level meters, echo mix) and read-ahead listeners (lipsync): replaced whole on the main
        // thread, read once per block on the audio thread.
        IPlayedSignalListener[] _listeners = new IPlayedSignalListener[0];
        IPlayoutReadAheadListener[] _readAhead = new IPlayoutReadAheadListener[0];
        float[] _monoScratch = new float[0];

        // Enabled voices, for the microphones' echo references (EchoReferenceMix listens to every one). Emptied as
        // voices are disabled, so nothing survives a play with domain reload off; main thread only.
        static readonly System.Collections.Generic.List<AgentVoice> s_Enabled = new System.Collections.Generic.List<AgentVoice>();
        static int s_EnabledVersion;

        /// <summary>The enabled voices (main thread; the list changes as voices are enabled and disabled).</summary>
        public static System.Collections.Generic.IReadOnlyList<AgentVoice> Enabled => s_Enabled;
        /// <summary>Changes whenever a voice is enabled or disabled: a consumer re-reads <see cref="Enabled"/> then.</summary>
        public static int EnabledVersion => s_EnabledVersion;

        /// <summary>Sources restarted after a device change or audio reset.</summary>
        public long Restarts => Interlocked.Read(ref _restarts);
        /// <summary>DSP blocks this voice processed.</summary>
        public long BlocksRendered => Interlocked.Read(ref _blocks);
        /// <summary>Output latency Unity reports, in ms: DSP buffer length × number of buffers at the output rate.</summary>
        public int OutputLatencyMs => _latencyMs;
        /// <summary>The playout the session writes into; null until <see cref="Attach"/>.</summary>
        public PlayoutSpeaker Speaker => _speaker;
        public int SampleRate => _speaker != null ? _speaker.SampleRate : 0;
        int IEchoReference.SampleRate => _engineRate;

        /// <summary>Creates the playout at the provider's output rate and starts the carrier (main thread).</summary>
        public void Attach(int providerSampleRate)
        {
            ReadConfiguration();
            AudioSettings.GetDSPBufferSize(out var block, out _);
            _speakerFrames = Math.Max(block, 256);
            var speaker = new PlayoutSpeaker(providerSampleRate, _engineRate, _speakerFrames);
            Volatile.Write(ref _speaker, speaker);
            StartCarrier();
        }

        /// <summary>Drops the playout (main thread); the filter renders silence from the next block.</summary>
        public void Detach() => Volatile.Write(ref _speaker, null);

        void Awake() => _source = GetComponent<AudioSource>();

        void OnEnable()
        {
            if (!s_Enabled.Contains(this)) { s_Enabled.Add(this); s_EnabledVersion++; }
            AudioSettings.OnAudioConfigurationChanged += OnAudioConfigurationChanged;
            if (_speaker != null) StartCarrier();
        }

        void OnDisable()
        {
            if (s_Enabled.Remove(this)) s_EnabledVersion++;
            AudioSettings.OnAudioConfigurationChanged -= OnAudioConfigurationChanged;
            if (_source != null) _source.Stop();
        }

        void OnDestroy()
        {
            Detach();
            if (_carrier != null) Destroy(_carrier);
            _carrier = null;
        }

        void ReadConfiguration()
        {
            _engineRate = AudioSettings.outputSampleRate;
            AudioSettings.GetDSPBufferSize(out var block, out _);
            _latencyMs = EngineAudio.ReportedOutputLatencyMs();
            _fadeFrames = (int)Math.Ceiling(RestartFadeMs * _engineRate / 1000.0);
            // Sized here, on the main thread, for the largest block the audio thread can hand over (stereo..7.1).
            if (_render.Length < block * 8) _render = new float[block * 8];
            if (_echoScratch.Length < block) _echoScratch = new float[block];
            if (_monoScratch.Length < block) _monoScratch = new float[block];
        }

        void StartCarrier()
        {
            if (_source == null) _source = GetComponent<AudioSource>();
            if (_carrier == null || _carrier.frequency != _engineRate)
            {
                if (_carrier != null) Destroy(_carrier);
                _carrier = AudioClip.Create("Parley voice carrier", _engineRate, 1, _engineRate, false);
                var ones = new float[_engineRate];
                for (var i = 0; i < ones.Length; i++) ones[i] = 1f;
                _carrier.SetData(ones, 0);
            }
            _source.clip = _carrier;
            _source.loop = true;
            Volatile.Write(ref _fadeLeft, _fadeFrames);
            if (isActiveAndEnabled && _source.enabled) _source.Play();
        }

        void OnAudioConfigurationChanged(bool deviceWasChanged)
        {
            // Unity stopped every source (so the filter is not rendering). A new output rate needs a new resampler
            // over the same queue: the rest of the reply plays on at the new rate.
            var oldRate = _engineRate;
            ReadConfiguration();
            var speaker = _speaker;
            AudioSettings.GetDSPBufferSize(out var block, out _);
            if (speaker != null && (oldRate != _engineRate || block > _speakerFrames))
            {
                _speakerFrames = Math.Max(block, 256);
                Volatile.Write(ref _speaker, speaker.WithEngineRate(_engineRate, _speakerFrames));
            }
            // The echo ring holds samples at the rate it was opened with: a new rate starts a new ring (what the old one
            // still held was cut by the reset), so SampleRate and the time stamps describe what is read.
            if (_echo != null && oldRate != _engineRate) ReopenEchoReference();
            Interlocked.Increment(ref _restarts);
            if (speaker != null) StartCarrier();
        }

#if !UNITY_WEBGL || UNITY_EDITOR
        // WebGL players call no OnAudioFilterRead (Unity's web audio has no DSP callback): compiled out there, so
        // WebGLCompileOutTests can prove no generator reaches the browser build; playout there waits for its plugin.
        void OnAudioFilterRead(float[] data, int channels)
        {
            Interlocked.Increment(ref _blocks);
            var speaker = Volatile.Read(ref _speaker);
            var render = _render;
            var frames = data.Length / channels;
            if (speaker == null || frames * channels > render.Length)
            {
                Array.Clear(data, 0, data.Length);
                return;
            }
            // dspTime is the start of the block being rendered; the listener hears it one output latency later.
            speaker.Render(new Span<float>(render, 0, frames * channels), channels, AudioSettings.dspTime + _latencyMs / 1000.0, Volatile.Read(ref _readAhead));
            var fade = _fadeLeft;
            for (var f = 0; f < frames; f++)
            {
                var g = 1f;
                if (fade > 0) { g = 1f - (float)fade / _fadeFrames; fade--; }
                var o = f * channels;
                for (var c = 0; c < channels; c++) data[o + c] = data[o + c] * render[o + c] * g;
            }
            _fadeLeft = fade;
            WriteEcho(data, channels, frames);
            NotifyPlayed(data, channels, frames);
        }
#endif

        /// <summary>Adds a listener that sees every played block from the next one (main thread; see <see cref="IPlayedSignalListener"/>).</summary>
        public void AddPlayedListener(IPlayedSignalListener listener) => Volatile.Write(ref _listeners, ListenerArrays.With(_listeners, listener));

        /// <summary>Removes a listener (main thread); a block being rendered may still reach it once.</summary>
        public void RemovePlayedListener(IPlayedSignalListener listener) => Volatile.Write(ref _listeners, ListenerArrays.Without(_listeners, listener));

        /// <summary>
        /// Adds a listener that gets the queued voice ahead of the played cursor, stamped with when it will be heard
        /// (main thread; see <see cref="PlayoutReadAhead"/>): from the next block, on the audio thread, at the provider's rate.
        /// </summary>
        public void AddReadAheadListener(IPlayoutReadAheadListener listener) => Volatile.Write(ref _readAhead, ListenerArrays.With(_readAhead, listener));

        /// <summary>Removes a read-ahead listener (main thread); a block being rendered may still reach it once.</summary>
        public void RemoveReadAheadListener(IPlayoutReadAheadListener listener) => Volatile.Write(ref _readAhead, ListenerArrays.Without(_readAhead, listener));

        void NotifyPlayed(float[] data, int channels, int frames)
        {
            var listeners = Volatile.Read(ref _listeners);
            if (listeners.Length == 0 || frames > _monoScratch.Length) return;
            var mono = new Span<float>(_monoScratch, 0, frames);
            ChannelMixer.Downmix(new ReadOnlySpan<float>(data, 0, frames * channels), channels, mono);
            // dspTime is the start of the block being rendered; the listener hears it one output latency later.
            var playTime = AudioSettings.dspTime + _latencyMs / 1000.0;
            for (var i = 0; i < listeners.Length; i++) listeners[i].OnPlayed(mono, _engineRate, playTime);
        }

        void WriteEcho(float[] data, int channels, int frames)
        {
            var ring = _echo;
            if (ring == null || frames > _echoScratch.Length) return;
            var mono = new Span<float>(_echoScratch, 0, frames);
            ChannelMixer.Downmix(new ReadOnlySpan<float>(data, 0, frames * channels), channels, mono);
            var dspFrame = (long)Math.Round(AudioSettings.dspTime * _engineRate);
            var written = ring.Write(mono);
            _echoDropped += frames - written;
            // dspTime is the start of the block being rendered; the echo frames of this block start at _echoWritten.
            Volatile.Write(ref _echoDspOffset, dspFrame - Volatile.Read(ref _echoWritten));
            Interlocked.Add(ref _echoWritten, written);
        }

        public void OpenEchoReference(double seconds)
        {
            if (_echo != null) return;
            _echoSeconds = seconds;
            var n = 1;
            while (n < seconds * _engineRate) n <<= 1;
            _echo = new SpscRingBuffer(n);
        }

        // Main thread, while the device reset has the filter stopped.
        void ReopenEchoReference()
        {
            _echo = null;
            _echoWritten = 0;
            _echoRead = 0;
            OpenEchoReference(_echoSeconds);
        }

        public int ReadEchoReference(Span<float> destination, out double dspTime)
        {
            dspTime = 0;
            var ring = _echo;
            if (ring == null) return 0;
            var first = _echoRead;
            var n = ring.Read(destination);
            _echoRead += n;
            dspTime = (first + Volatile.Read(ref _echoDspOffset)) / (double)_engineRate;
            return n;
        }

        public long EchoReferenceDropped => Interlocked.Read(ref _echoDropped);

        // ───── IAgentPlayout: the session's view (the played cursor is what the listener has heard) ─────

        int IAgentPlayout.SampleRate => _speaker?.SampleRate ?? 0;
        public bool Write(string itemId, ReadOnlySpan<short> pcm) { var s = _speaker; return s != null && s.Write(itemId, pcm); }
        public void EndItem(string itemId) => _speaker?.EndItem(itemId);
        public void Flush()
        {
            _speaker?.Flush();
            var listeners = Volatile.Read(ref _listeners);
            for (var i = 0; i < listeners.Length; i++) listeners[i].OnPlayedFlushed();
        }
        public int FlushFadeMs => _speaker?.FlushFadeMs ?? 0;
        public int PlayedMs(string itemId) { var s = _speaker; return s == null ? 0 : Math.Max(0, s.PlayedMs(itemId) - _latencyMs); }
        public string CurrentItemId => _speaker?.CurrentItemId;
        public bool IsPlaying => _speaker != null && _speaker.IsPlaying;
        public int QueuedSamples => _speaker?.QueuedSamples ?? 0;
        public long Underruns => _speaker?.Underruns ?? 0;
    }
}
