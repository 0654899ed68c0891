using System;
using System.Runtime.InteropServices;
using Parley.Audio.Kernels;

namespace Parley.Audio.Vad
{
    /// <summary>
    /// The engine-free detector (<see cref="EnergyVadKernel"/>): speech-band level against a tracked noise floor,
    /// 16 ms windows at any rate from 8 to 48 kHz, decided every 16 ms; or, with <c>hopMs: 8</c>, in steady noise every
    /// 8 ms and by the best of the band and four octave sub-bands (a start at 0 dB SNR known sooner, at the price of more
    /// one-frame false starts in long steady noise: BENCHMARKS.md). Works everywhere Parley.Core does; Silero VAD
    /// (Parley.Onnx) is more accurate where ONNX Runtime is installed.
    /// </summary>
    public sealed unsafe class EnergyVoiceActivityDetector : IVoiceActivityDetector
    {
        /// <summary>The window the level is measured over, ms.</summary>
        public const double FrameMs = 16.0;
        EnergyVadState m_State;

        /// <param name="sampleRate">8 to 48 kHz.</param>
        /// <param name="hopMs">16 (frames of 16 ms, the default) or 8 (frames of 8 ms, each the second half of a 16 ms window).</param>
        public EnergyVoiceActivityDetector(int sampleRate = 16000, double hopMs = FrameMs)
        {
            if (sampleRate < 8000 || sampleRate > 48000) throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "The energy VAD runs at 8 to 48 kHz.");
            if (hopMs != FrameMs && hopMs != FrameMs / 2) throw new ArgumentOutOfRangeException(nameof(hopMs), hopMs, "The hop is 16 or 8 ms.");
            SampleRate = sampleRate;
            HopMs = hopMs;
            var hops = hopMs == FrameMs ? 1 : 2;
            FrameSamples = (int)Math.Round(sampleRate * FrameMs / 1000.0) / hops;
            EnergyVadKernel.Init(ref m_State, sampleRate, FrameSamples, hopsPerWindow: hops);
        }

        /// <summary>How often a frame is decided, ms (16 or 8); <see cref="FrameSamples"/> is one hop.</summary>
        public double HopMs { get; }

        public int SampleRate { get; }
        public int FrameSamples { get; }

        /// <summary>The tracked noise floor, dBFS (for meters and diagnostics).</summary>
        public float NoiseFloorDb => m_State.Full.FloorDb;

        /// <summary>The last frame's speech-band level, dBFS.</summary>
        public float LevelDb => m_State.Full.LevelDb;

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

        /// <summary>While the threshold in use is under this (steady noise), four octave sub-bands vote too and 8 ms hops are each decided, dB (default 0, off, with 16 ms frames; 3 with 8 ms hops). Set before the first frame.</summary>
        public float SubBandGateDb
        {
            get => m_State.SubBandGateDb;
            set
            {
                if (!(value >= 0f && value < 60f)) throw new ArgumentOutOfRangeException(nameof(value), value, "The gate must be in [0, 60) dB.");
                m_State.SubBandGateDb = value;
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
