using System;
using System.Runtime.InteropServices;
using Parley.Audio.Kernels;

namespace Parley.Audio.Vad
{
    /// <summary>
    /// The engine-free detector (<see cref="EnergyVadKernel"/>): speech-band level against a tracked noise floor,
    /// 16 ms frames at any rate from 8 to 48 kHz. Works everywhere Parley.Core does; Silero VAD (Parley.Onnx)
    /// is more accurate where ONNX Runtime is installed.
    /// </summary>
    public sealed unsafe class EnergyVoiceActivityDetector : IVoiceActivityDetector
    {
        public const double FrameMs = 16.0;
        EnergyVadState m_State;

        public EnergyVoiceActivityDetector(int sampleRate = 16000)
        {
            if (sampleRate < 8000 || sampleRate > 48000) throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "The energy VAD runs at 8 to 48 kHz.");
            SampleRate = sampleRate;
            FrameSamples = (int)Math.Round(sampleRate * FrameMs / 1000.0);
            EnergyVadKernel.Init(ref m_State, sampleRate, FrameSamples);
        }

        public int SampleRate { get; }
        public int FrameSamples { get; }

        /// <summary>The tracked noise floor, dBFS (for meters and diagnostics).</summary>
        public float NoiseFloorDb => m_State.FloorDb;

        /// <summary>The last frame's speech-band level, dBFS.</summary>
        public float LevelDb => m_State.LevelDb;

        /// <summary>Level above the noise floor at which a frame scores 0.5 in fluctuating noise such as babble, dB (default 4); the threshold in use adapts down to <see cref="MinThresholdDb"/> in steady noise.</summary>
        public float ThresholdDb
        {
            get => m_State.ThresholdDb;
            set
            {
                if (!(value > 0f && value < 60f)) throw new ArgumentOutOfRangeException(nameof(value), value, "The threshold must be in (0, 60) dB.");
                m_State.ThresholdDb = value;
            }
        }

        /// <summary>The least the threshold adapts down to in steady noise, dB (default 2; at most <see cref="ThresholdDb"/> is used).</summary>
        public float MinThresholdDb
        {
            get => m_State.MinThresholdDb;
            set
            {
                if (!(value > 0f && value < 60f)) throw new ArgumentOutOfRangeException(nameof(value), value, "The threshold must be in (0, 60) dB.");
                m_State.MinThresholdDb = value;
            }
        }

        public float Process(ReadOnlySpan<float> frame)
        {
            if (frame.Length != FrameSamples) throw new ArgumentException("Expected a frame of " + FrameSamples + " samples, got " + frame.Length + ".", nameof(frame));
            fixed (float* p = &MemoryMarshal.GetReference(frame)) return EnergyVadKernel.Process(ref m_State, p, frame.Length);
        }

        public void Reset() => EnergyVadKernel.Reset(ref m_State);

        public void Dispose() { }
    }
}
