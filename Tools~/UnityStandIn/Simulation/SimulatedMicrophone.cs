// A microphone device of the simulated player, with the faults real devices have (audio-behaviour.md §1): it
// writes its input (e.g. a WAV) into Unity's looping clip on its own clock (optionally off nominal), in packets,
// so Microphone.GetPosition advances in packet-sized steps; it can take a while to deliver its first packet
// (position stays 0, possibly forever); and it can be unplugged and plugged back in. The clip is mono at the
// requested frequency (Unity converts from the device rate; here by linear interpolation from the input's rate).
using System;
using System.Collections.Generic;
using UnityEngine;

namespace Parley.Simulation
{
    /// <summary>What Unity reports after a device disappears; platforms differ (audio-behaviour.md §1, unconfirmed which does which).</summary>
    public enum UnplugBehaviour
    {
        /// <summary>The device leaves Microphone.devices: IsRecording turns false and GetPosition returns 0.</summary>
        StopsRecording,
        /// <summary>The device stays listed and "recording" but delivers nothing: GetPosition freezes.</summary>
        FreezesPosition,
    }

    public sealed class SimulatedMicrophone
    {
        readonly float[] _input;
        readonly int _inputRate;
        bool _plugged = true;

        // The current recording.
        AudioClip _clip;
        bool _recording;
        bool _loop;
        bool _frozen;
        int _frequency;
        int _packetFrames;
        int _position;
        long _packets;
        double _startTime;
        float[] _packet = Array.Empty<float>();
        long _inputOffset;   // clip-rate frames of input before this recording's first packet (InputOnPlayerClock)

        /// <param name="name">The name Microphone.devices lists.</param>
        /// <param name="input">What the microphone hears: mono samples in [-1, 1].</param>
        /// <param name="inputRate">The rate of <paramref name="input"/> in Hz.</param>
        public SimulatedMicrophone(string name, float[] input, int inputRate)
        {
            if (string.IsNullOrEmpty(name)) throw new ArgumentException("A device needs a name.", nameof(name));
            if (inputRate <= 0) throw new ArgumentOutOfRangeException(nameof(inputRate));
            Name = name;
            _input = input ?? Array.Empty<float>();
            _inputRate = inputRate;
        }

        public string Name { get; }

        /// <summary>Fractional deviation of the device clock from nominal: +0.005 delivers 0.5 % more frames per second.</summary>
        public double ClockDrift { get; set; }

        /// <summary>Time from Microphone.Start to the first packet; <see cref="double.PositiveInfinity"/>: never (a virtual device that hangs).</summary>
        public double StartDelaySeconds { get; set; }

        /// <summary>Packet length in milliseconds at the clip's rate (10-20 ms is typical; Unity's per-platform value is unconfirmed).</summary>
        public double PacketMilliseconds { get; set; } = 10.0;

        /// <summary>Repeat the input when it ends (otherwise the device delivers silence, and its position still advances).</summary>
        public bool LoopInput { get; set; }

        /// <summary>What Microphone.GetDeviceCaps reports; 0, 0 means any rate (the Linux editor and iOS report that).</summary>
        public int MinFrequency { get; set; }
        public int MaxFrequency { get; set; }

        public UnplugBehaviour OnUnplug { get; set; } = UnplugBehaviour.StopsRecording;

        /// <summary>
        /// The input is the room's sound on the player's timeline: a recording started at t hears the input from t
        /// (plus the start delay), so what was said while the device was unplugged is lost, as it would be. Default
        /// (false): every recording hears the input from its beginning.
        /// </summary>
        public bool InputOnPlayerClock { get; set; }

        /// <summary>
        /// How long Microphone.Start blocks the calling (main) thread: 30-440 ms on iOS and Android before Unity
        /// 2023.1 (audio-behaviour.md §1). The frame that calls it lasts that much longer; audio goes on.
        /// </summary>
        public double StartStallSeconds { get; set; }

        /// <summary>
        /// Sound the device hears besides its input, sampled on the device's own clock (e.g. <see cref="ListenerEcho"/>:
        /// the speakers through the room); null for none.
        /// </summary>
        public IMicrophoneSound Room { get; set; }

        public bool IsPlugged => _plugged;

        /// <summary>Packets written into the clip by the current recording.</summary>
        public long PacketsDelivered => _packets;

        /// <summary>Frames per packet of the current recording.</summary>
        public int PacketFrames => _packetFrames;

        /// <summary>The device disappears; the recording stops or freezes as <see cref="OnUnplug"/> says. The clip is kept.</summary>
        public void Unplug()
        {
            _plugged = false;
            if (!_recording) return;
            if (OnUnplug == UnplugBehaviour.StopsRecording) StopRecording();
            else _frozen = true;
        }

        /// <summary>The device is back in Microphone.devices. A recording does not resume by itself: Microphone.Start again.</summary>
        public void Replug() { _plugged = true; }

        internal bool Listed => _plugged || (OnUnplug == UnplugBehaviour.FreezesPosition && _recording);

        internal bool IsRecordingUnchecked => _recording;

        internal int PositionUnchecked => _recording ? _position : 0;

        internal AudioClip StartRecording(bool loop, int lengthSec, int frequency)
        {
            var clip = AudioClip.Create("Microphone", lengthSec * frequency, 1, frequency, false);
            _clip = clip;
            _loop = loop;
            _frequency = frequency;
            _packetFrames = Math.Max(1, (int)Math.Round(frequency * PacketMilliseconds / 1000.0));
            if (_packetFrames > clip.m_Samples) _packetFrames = clip.m_Samples;
            _packet = new float[_packetFrames];
            _position = 0;
            _packets = 0;
            _frozen = !_plugged;
            _recording = true;
            _startTime = Engine.Player?.Now ?? 0;
            _inputOffset = InputOnPlayerClock && !double.IsInfinity(StartDelaySeconds) ? (long)Math.Round((_startTime + StartDelaySeconds) * frequency) : 0;
            if (StartStallSeconds > 0) Engine.Player?.Stall(StartStallSeconds);
            return clip;
        }

        internal void EndRecording() => StopRecording();

        void StopRecording()
        {
            _recording = false;
            _frozen = false;
            _position = 0;
        }

        /// <summary>When the device delivers its next packet; infinity when it delivers nothing.</summary>
        internal double NextPacketTime
        {
            get
            {
                if (!_recording || _frozen || double.IsInfinity(StartDelaySeconds)) return double.PositiveInfinity;
                return _startTime + StartDelaySeconds + (_packets + 1) * (double)_packetFrames / (_frequency * (1.0 + ClockDrift));
            }
        }

        /// <summary>Writes one packet into the clip at the position and advances it (wrapping when looping).</summary>
        internal void DeliverPacket()
        {
            var first = _packets * _packetFrames;
            for (var j = 0; j < _packetFrames; j++) _packet[j] = InputAt(_inputOffset + first + j);
            // The room's sound at the instants this packet's frames were captured (the device's clock, drift included).
            var frameSeconds = 1.0 / (_frequency * (1.0 + ClockDrift));
            Room?.AddTo(_packet, _packetFrames, _frequency, _startTime + StartDelaySeconds + first * frameSeconds, frameSeconds);
            var room = _clip.m_Samples - _position;
            if (!_loop && _packetFrames >= room)
            {
                _clip.WriteUnchecked(_packet, room, _position);
                _packets++;
                StopRecording();   // a non-looping recording ends when the clip is full
                return;
            }
            _clip.WriteUnchecked(_packet, _packetFrames, _position);
            _position = (_position + _packetFrames) % _clip.m_Samples;
            _packets++;
        }

        float InputAt(long frame)
        {
            if (_input.Length == 0) return 0f;
            var t = frame * (double)_inputRate / _frequency;
            var i0 = (long)Math.Floor(t);
            var frac = (float)(t - i0);
            var s0 = Read(i0);
            return frac == 0f ? s0 : s0 + (Read(i0 + 1) - s0) * frac;
        }

        float Read(long i)
        {
            if (LoopInput) i %= _input.Length;
            return i < _input.Length ? _input[i] : 0f;
        }
    }

    internal sealed class MicrophoneRegistry
    {
        readonly List<SimulatedMicrophone> _devices = new List<SimulatedMicrophone>();

        internal IReadOnlyList<SimulatedMicrophone> All => _devices;

        internal void Clear() => _devices.Clear();

        internal void Add(SimulatedMicrophone device)
        {
            foreach (var d in _devices)
                if (d.Name == device.Name) throw new ArgumentException("A microphone named " + device.Name + " exists already.");
            _devices.Add(device);
        }

        /// <summary>Null or "" is the default device (the first listed one); unknown or unplugged names find nothing.</summary>
        internal SimulatedMicrophone Find(string name)
        {
            foreach (var d in _devices)
                if (d.Listed && (string.IsNullOrEmpty(name) || d.Name == name)) return d;
            return null;
        }

        internal string[] Names()
        {
            var names = new List<string>();
            foreach (var d in _devices)
                if (d.Listed) names.Add(d.Name);
            return names.ToArray();
        }
    }
}
