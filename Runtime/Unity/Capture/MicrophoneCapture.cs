#if !UNITY_WEBGL || UNITY_EDITOR
using System;
using System.Collections.Generic;
using Parley.Audio;
using Parley.Session.Audio;
using UnityEngine;

namespace Parley.Unity.Capture
{
    /// <summary>
    /// Unity's microphone as a capture source. Every frame it reads the looping clip from where it stopped to
    /// <c>Microphone.GetPosition</c>, wrapping at the clip's end, in fixed 10 ms chunks through one preallocated
    /// array (no allocation per frame; a partial chunk waits for the next frame). Faults are states, never hangs:
    /// a position that stays 0 after <c>Start</c> is a start timeout; recording that stops or a position that
    /// freezes is a lost device, retried until it records again; a frame hitch long enough for the device to
    /// lap the clip is an overrun (the clip was overwritten: counted and skipped, never read as audio).
    /// The real rate is checked from the position's progress against <c>AudioSettings.dspTime</c>.
    /// On Android and iOS it first asks for the microphone (<see cref="Permission"/>): <c>AwaitingPermission</c>
    /// while the dialog is up, then capture, or <c>Unavailable</c> and <see cref="PermissionDenied"/>.
    /// Compiled out of WebGL players (no <c>Microphone</c> there).
    /// </summary>
    [DisallowMultipleComponent]
    [AddComponentMenu("Parley/Microphone Capture")]
    [HelpURL(HelpLinks.MicrophoneCapture)]
    public sealed class MicrophoneCapture : MonoBehaviour, ICaptureSource, IClockDriftSource
    {
        [SerializeField, Tooltip("Device name as listed by Microphone.devices; empty for the default device.")]
        string deviceName = string.Empty;
        [SerializeField, Tooltip("Requested capture rate in Hz (clamped to what the device reports).")]
        int sampleRate = 48000;
        [SerializeField, Range(1, 10), Tooltip("Length of Unity's looping clip; a frame hitch longer than this loses audio (counted as an overrun).")]
        int clipSeconds = 1;
        [SerializeField, Tooltip("Start recording when enabled.")]
        bool captureOnEnable = true;
        [SerializeField, Min(0.1f), Tooltip("A position still 0 this long after Start is a start timeout.")]
        float startTimeoutSeconds = 2f;
        [SerializeField, Min(0.05f), Tooltip("A position that stops moving this long means the device was lost.")]
        float freezeSeconds = 0.5f;
        [SerializeField, Min(0.1f), Tooltip("Seconds between attempts to restart a lost device.")]
        float retrySeconds = 1f;
        [SerializeField, Tooltip("Keep the echo path the agents' cancellers learnt on this microphone in Application.persistentDataPath (the room's response as filter taps, no audio), so the first conversation of the app's next run starts warm too.")]
        bool keepEchoPathBetweenRuns;

        readonly List<ICaptureSink> _sinks = new List<ICaptureSink>();
        AudioClip _clip;
        float[] _chunk = new float[0];
        string _device;
        int _rate;
        int _last;
        int _lastPos;
        double _startedAt;
        double _lastReadAt;
        double _lastAdvanceAt;
        double _nextRetryAt;
        CaptureRateMeter _meter;
        ClockDriftMeter _drift;
        long _positionFrames;
        IMicrophonePermission _permission;

        public event Action<CaptureStatus, string> StatusChanged;
        /// <summary>Raised when a rate window completes: the measured rate and whether it is within 1 % of nominal.</summary>
        public event Action<double, bool> RateMeasured;
        /// <summary>The player refused the microphone: <c>Denied</c> (ask again with <see cref="StartCapture"/>) or <c>DeniedAndDontAskAgain</c> (only the system settings can grant it).</summary>
        public event Action<MicrophonePermissionState> PermissionDenied;

        /// <summary>The platform's microphone permission (Android, iOS; none elsewhere). Replace it for a platform plugin or a test.</summary>
        public IMicrophonePermission Permission
        {
            get => _permission ?? (_permission = MicrophonePermissions.ForPlatform());
            set => _permission = value;
        }
        public int PermissionDenials { get; private set; }

        public string DeviceName { get => deviceName; set => deviceName = value ?? string.Empty; }
        /// <summary>
        /// The echo paths the agents' cancellers learnt on this microphone, by device name and rate: a VoiceAgent's next
        /// conversation starts from its last one's (<see cref="Parley.Unity.Agent.VoiceAgent.RememberEchoPath"/>). With
        /// <see cref="KeepEchoPathBetweenRuns"/>, reading it (main thread) first loads what an earlier run of the app
        /// stored for <see cref="DeviceName"/> (<see cref="EchoPaths"/>).
        /// </summary>
        public EchoRoomMemory EchoRooms
        {
            get
            {
                if (keepEchoPathBetweenRuns) EchoPaths.Load(deviceName);
                return _echoRooms;
            }
        }
        readonly EchoRoomMemory _echoRooms = new EchoRoomMemory();
        EchoPathStore _echoPaths;
        /// <summary>
        /// Keep <see cref="EchoRooms"/> on disk between runs of the app (<see cref="EchoPathStore"/>). Off by default: the
        /// package then writes no files.
        /// </summary>
        public bool KeepEchoPathBetweenRuns { get => keepEchoPathBetweenRuns; set => keepEchoPathBetweenRuns = value; }
        /// <summary>Where <see cref="KeepEchoPathBetweenRuns"/> keeps the rooms, and what it has read and written.</summary>
        public EchoPathStore EchoPaths => _echoPaths ?? (_echoPaths = new EchoPathStore(_echoRooms, () => keepEchoPathBetweenRuns, name));
        /// <summary>Forgets this device's echo paths, in memory and on disk (main thread): its next conversation starts cold.</summary>
        public void ForgetEchoPath()
        {
            _echoRooms.Forget(deviceName);
            EchoPaths.Delete(deviceName);
        }
        public int RequestedSampleRate { get => sampleRate; set => sampleRate = value; }
        public int ClipSeconds { get => clipSeconds; set => clipSeconds = Math.Max(1, value); }
        public bool CaptureOnEnable { get => captureOnEnable; set => captureOnEnable = value; }
        public float StartTimeoutSeconds { get => startTimeoutSeconds; set => startTimeoutSeconds = value; }
        public float FreezeSeconds { get => freezeSeconds; set => freezeSeconds = value; }
        public float RetrySeconds { get => retrySeconds; set => retrySeconds = value; }

        public CaptureStatus Status { get; private set; } = CaptureStatus.Stopped;
        public AudioFormat Format => new AudioFormat(_rate > 0 ? _rate : sampleRate, 1);
        /// <summary>Frames delivered to sinks since the component started capturing.</summary>
        public long FramesCaptured { get; private set; }
        /// <summary>Hitches long enough to lap the clip, and the frames they cost (estimated from the elapsed time).</summary>
        public int Overruns { get; private set; }
        public long OverrunFrames { get; private set; }
        public int DeviceLosses { get; private set; }
        public int StartTimeouts { get; private set; }
        /// <summary>Rate measured against dspTime over ≥ 2 s (0 before the first window).</summary>
        public double MeasuredSampleRate => _meter.MeasuredRate;
        /// <summary>
        /// The microphone's clock against the output's (<c>AudioSettings.dspTime</c>), in ppm, from a least-squares fit
        /// of the position's progress over up to 60 s (<see cref="ClockDriftMeter"/>); NaN until ≥ 10 s of capture
        /// were fitted. Positive: the microphone delivers more frames per output second than its nominal rate. 0 while
        /// the fit is within two standard errors of zero (<see cref="ClockDriftMeter.CompensationPpm"/>; the fit itself:
        /// <see cref="DriftMeter"/>): the echo reference is not slid by a drift that cannot be told from none.
        /// </summary>
        public double ClockDriftPpm => _drift?.CompensationPpm ?? double.NaN;
        /// <summary>Whether <see cref="ClockDriftPpm"/> is known yet.</summary>
        public bool ClockDriftKnown => _drift != null && _drift.IsKnown;
        /// <summary>The drift fit itself (span, uncertainty, segments); null before the first start.</summary>
        public ClockDriftMeter DriftMeter => _drift;

        public void AddSink(ICaptureSink sink) { if (sink != null && !_sinks.Contains(sink)) _sinks.Add(sink); }
        public void RemoveSink(ICaptureSink sink) => _sinks.Remove(sink);

        void OnEnable() { if (captureOnEnable) StartCapture(); }
        void OnDisable() => StopCapture();

        /// <summary>Starts recording the device (main thread). A missing device is a lost device, retried.</summary>
        public void StartCapture()
        {
            if (Status == CaptureStatus.Starting || Status == CaptureStatus.Capturing || Status == CaptureStatus.AwaitingPermission) return;
            _device = string.IsNullOrEmpty(deviceName) ? null : deviceName;
            var permission = Permission;
            var state = permission.State;
            if (state == MicrophonePermissionState.Granted) { TryStart(); return; }
            if (state == MicrophonePermissionState.DeniedAndDontAskAgain) { Denied(state); return; }   // no dialog would show
            SetStatus(CaptureStatus.AwaitingPermission, "asking the player for the microphone");
            permission.Request();
        }

        /// <summary>Stops recording and releases the device.</summary>
        public void StopCapture()
        {
            if (Status == CaptureStatus.Stopped) return;
            EndDevice();
            SetStatus(CaptureStatus.Stopped, "stopped");
        }

        void TryStart()
        {
            var now = Now;
            if (!DevicePresent())
            {
                Lost(now, "no device " + (_device ?? "(default)"));
                return;
            }
            Microphone.GetDeviceCaps(_device, out var min, out var max);
            _rate = min == 0 && max == 0 ? sampleRate : Math.Max(min, Math.Min(max, sampleRate));
            if (_drift == null || _drift.NominalRate != _rate) _drift = new ClockDriftMeter(_rate);   // once per rate, not per frame
            try { _clip = Microphone.Start(_device, true, clipSeconds, _rate); }
            catch (ArgumentException e) { Lost(now, e.Message); return; }
            var chunkFrames = Math.Max(1, _rate / 100);
            if (_chunk.Length != chunkFrames) _chunk = new float[chunkFrames];
            _last = 0;
            _startedAt = now;
            SetStatus(CaptureStatus.Starting, _device ?? "(default)");
        }

        bool DevicePresent()
        {
            var devices = Microphone.devices;
            if (_device == null) return devices.Length > 0;
            for (var i = 0; i < devices.Length; i++)
                if (devices[i] == _device) return true;
            return false;
        }

        static double Now => Time.realtimeSinceStartupAsDouble;

        void Update()
        {
            switch (Status)
            {
                case CaptureStatus.AwaitingPermission: PollPermission(); break;
                case CaptureStatus.Starting: PollStart(); break;
                case CaptureStatus.Capturing: Poll(); break;
                case CaptureStatus.DeviceLost:
                    if (Now >= _nextRetryAt) TryStart();
                    break;
            }
        }

        void PollPermission()
        {
            var state = Permission.State;
            if (state == MicrophonePermissionState.Granted) TryStart();
            else if (state == MicrophonePermissionState.Denied || state == MicrophonePermissionState.DeniedAndDontAskAgain) Denied(state);
        }

        void Denied(MicrophonePermissionState state)
        {
            PermissionDenials++;
            SetStatus(CaptureStatus.Unavailable, state == MicrophonePermissionState.DeniedAndDontAskAgain
                ? "microphone permission denied for good (the player can grant it in the system settings)"
                : "microphone permission denied");
            PermissionDenied?.Invoke(state);
        }

        void PollStart()
        {
            var now = Now;
            if (!Microphone.IsRecording(_device)) { Lost(now, "recording stopped"); return; }
            var pos = Microphone.GetPosition(_device);
            if (pos == 0)
            {
                if (now - _startedAt < startTimeoutSeconds) return;
                StartTimeouts++;
                Lost(now, "start timeout: position still 0 after " + startTimeoutSeconds + " s");
                return;
            }
            _lastReadAt = _lastAdvanceAt = now;
            _lastPos = pos;
            _meter.Restart(AudioSettings.dspTime);
            _drift.Restart();
            _positionFrames = pos;
            _drift.Add(_positionFrames, AudioSettings.dspTime);
            SetStatus(CaptureStatus.Capturing, _device ?? "(default)");
            Read(pos);
        }

        void Poll()
        {
            var now = Now;
            if (!Microphone.IsRecording(_device)) { Lost(now, "recording stopped"); return; }
            var pos = Microphone.GetPosition(_device);
            var samples = _clip.samples;
            // Could the device have lapped the clip since the last read? Then [last, pos) is not what it looks like.
            var elapsed = now - _lastReadAt;
            if (elapsed * _rate * 1.02 + _chunk.Length * 5 >= samples)
            {
                Overruns++;
                OverrunFrames += (long)(elapsed * _rate);
                _last = _lastPos = pos;
                _lastReadAt = _lastAdvanceAt = now;
                _meter.Restart(AudioSettings.dspTime);
                _drift.Restart();
                _positionFrames = 0;
                return;
            }
            _lastReadAt = now;
            if (pos == _lastPos)
            {
                if (now - _lastAdvanceAt >= freezeSeconds) Lost(now, "position frozen for " + freezeSeconds + " s");
                return;
            }
            _positionFrames += (pos - _lastPos + samples) % samples;
            _lastPos = pos;
            _lastAdvanceAt = now;
            _drift.Add(_positionFrames, AudioSettings.dspTime);   // only when the position moved: a freeze adds no point
            var read = Read(pos);
            if (_meter.Add(read, AudioSettings.dspTime))
            {
                var rel = Math.Abs(_meter.MeasuredRate / _rate - 1);
                RateMeasured?.Invoke(_meter.MeasuredRate, rel <= 0.01);
            }
        }

        /// <summary>Reads whole chunks of [last, pos) with wrap-around; returns the frames delivered.</summary>
        int Read(int pos)
        {
            var samples = _clip.samples;
            var available = (pos - _last + samples) % samples;
            var chunk = _chunk.Length;
            var delivered = 0;
            var format = Format;
            while (available - delivered >= chunk)
            {
                _clip.GetData(_chunk, _last);   // wraps at the clip's end (Unity documents it for GetData/SetData)
                _last = (_last + chunk) % samples;
                delivered += chunk;
                for (var i = 0; i < _sinks.Count; i++) _sinks[i].OnCaptured(_chunk, format);
            }
            FramesCaptured += delivered;
            return delivered;
        }

        void Lost(double now, string reason)
        {
            EndDevice();
            _nextRetryAt = now + retrySeconds;
            if (Status == CaptureStatus.DeviceLost) return;
            DeviceLosses++;
            SetStatus(CaptureStatus.DeviceLost, reason);
        }

        void EndDevice()
        {
            if (_clip != null && Microphone.IsRecording(_device)) Microphone.End(_device);
            if (_clip != null) Destroy(_clip);
            _clip = null;
        }

        void SetStatus(CaptureStatus status, string reason)
        {
            if (Status == status) return;
            Status = status;
            StatusChanged?.Invoke(status, reason);
        }
    }
}
#endif
