using System;
using System.Collections.Generic;
using Microsoft.ML.OnnxRuntime;
using Parley.Audio.Vad;

namespace Parley.Onnx
{
    /// <summary>
    /// Silero VAD v5 through ONNX Runtime, fed as silero-vad's own wrapper (utils_vad.py OnnxWrapper) feeds it:
    /// 512-sample chunks at 16 kHz (256 at 8 kHz), each preceded by the last 64 (32) samples of the previous
    /// chunk, and the recurrent state [2, 1, 128] carried from <c>stateN</c> to the next <c>state</c>. Every
    /// tensor is allocated once and bound with an <see cref="OrtIoBinding"/>, so a frame costs one native run
    /// and three array copies, no managed allocation.
    /// </summary>
    public sealed class SileroVoiceActivityDetector : IVoiceActivityDetector
    {
        const int StateLength = 2 * 1 * 128;
        static readonly string[] s_Inputs = { "input", "state", "sr" };
        static readonly string[] s_Outputs = { "output", "stateN" };

        readonly InferenceSession m_Session;
        readonly SessionOptions m_OwnedOptions;
        readonly RunOptions m_RunOptions;
        readonly OrtIoBinding m_Binding;
        readonly float[] m_Input;
        readonly float[] m_State;
        readonly float[] m_NextState;
        readonly float[] m_Output;
        readonly long[] m_Rate;
        readonly OrtValue[] m_Values;
        readonly int m_Context;
        bool m_Disposed;

        /// <param name="model">The bytes of silero_vad_v5 (in Unity: the <c>silero_vad_v5.bytes</c> TextAsset's <c>bytes</c>).</param>
        /// <param name="sampleRate">8000 or 16000, the rates the model was trained for.</param>
        /// <param name="options">Session options; by default one intra-op and one inter-op thread, as silero-vad runs it.</param>
        public SileroVoiceActivityDetector(byte[] model, int sampleRate = 16000, SessionOptions options = null)
        {
            if (model == null || model.Length == 0) throw new ArgumentException("No model bytes.", nameof(model));
            if (sampleRate != 8000 && sampleRate != 16000) throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "Silero VAD runs at 8000 or 16000 Hz; resample first.");
            SampleRate = sampleRate;
            FrameSamples = sampleRate == 16000 ? 512 : 256;
            m_Context = sampleRate == 16000 ? 64 : 32;
            if (options == null)
            {
                m_OwnedOptions = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1, ExecutionMode = ExecutionMode.ORT_SEQUENTIAL };
                options = m_OwnedOptions;
            }
            var values = new List<OrtValue>();
            try
            {
                m_Session = new InferenceSession(model, options);
                RequireNames(m_Session.InputNames, s_Inputs, "inputs");
                RequireNames(m_Session.OutputNames, s_Outputs, "outputs");
                m_Input = new float[m_Context + FrameSamples];
                m_State = new float[StateLength];
                m_NextState = new float[StateLength];
                m_Output = new float[1];
                m_Rate = new[] { (long)sampleRate };
                // Each OrtValue pins its array for its lifetime: the model reads and writes these arrays in place.
                values.Add(OrtValue.CreateTensorValueFromMemory(m_Input, new long[] { 1, m_Input.Length }));
                values.Add(OrtValue.CreateTensorValueFromMemory(m_State, new long[] { 2, 1, 128 }));
                values.Add(OrtValue.CreateTensorValueFromMemory(m_Rate, Array.Empty<long>()));
                values.Add(OrtValue.CreateTensorValueFromMemory(m_Output, new long[] { 1, 1 }));
                values.Add(OrtValue.CreateTensorValueFromMemory(m_NextState, new long[] { 2, 1, 128 }));
                m_Values = values.ToArray();
                m_RunOptions = new RunOptions();
                m_Binding = m_Session.CreateIoBinding();
                m_Binding.BindInput(s_Inputs[0], m_Values[0]);
                m_Binding.BindInput(s_Inputs[1], m_Values[1]);
                m_Binding.BindInput(s_Inputs[2], m_Values[2]);
                m_Binding.BindOutput(s_Outputs[0], m_Values[3]);
                m_Binding.BindOutput(s_Outputs[1], m_Values[4]);
            }
            catch
            {
                foreach (var v in values) v.Dispose();
                m_Binding?.Dispose();
                m_RunOptions?.Dispose();
                m_Session?.Dispose();
                m_OwnedOptions?.Dispose();
                throw;
            }
        }

        /// <summary>Loads the model from a file (the host tools: <see cref="SileroModel.BundledPath"/>).</summary>
        public static SileroVoiceActivityDetector FromFile(string path, int sampleRate = 16000) =>
            new SileroVoiceActivityDetector(System.IO.File.ReadAllBytes(path), sampleRate);

        public int SampleRate { get; }
        public int FrameSamples { get; }

        /// <summary>Samples of the previous chunk prepended to each chunk (64 at 16 kHz, 32 at 8 kHz).</summary>
        public int ContextSamples => m_Context;

        public float Process(ReadOnlySpan<float> frame)
        {
            if (m_Disposed) throw new ObjectDisposedException(nameof(SileroVoiceActivityDetector));
            if (frame.Length != FrameSamples) throw new ArgumentException("Expected a frame of " + FrameSamples + " samples, got " + frame.Length + ".", nameof(frame));
            var input = m_Input;
            for (var i = 0; i < frame.Length; i++)
            {
                var x = frame[i];
                // A NaN would poison the recurrent state for good: NaN → 0, ±Inf → ±1, as the PCM kernels do.
                input[m_Context + i] = x - x == 0f ? x : x > 0f ? 1f : x < 0f ? -1f : 0f;
            }
            m_Session.RunWithBinding(m_RunOptions, m_Binding);
            Array.Copy(m_NextState, m_State, StateLength);
            Array.Copy(input, FrameSamples, input, 0, m_Context);
            var p = m_Output[0];
            return p >= 0f ? Math.Min(p, 1f) : 0f;
        }

        public void Reset()
        {
            Array.Clear(m_State, 0, m_State.Length);
            Array.Clear(m_Input, 0, m_Input.Length);
        }

        public void Dispose()
        {
            if (m_Disposed) return;
            m_Disposed = true;
            m_Binding.Dispose();
            foreach (var v in m_Values) v.Dispose();
            m_RunOptions.Dispose();
            m_Session.Dispose();
            m_OwnedOptions?.Dispose();
        }

        static void RequireNames(IReadOnlyList<string> actual, string[] expected, string what)
        {
            foreach (var name in expected)
            {
                var found = false;
                foreach (var a in actual) found |= a == name;
                if (!found)
                    throw new ArgumentException("The model is not Silero VAD v5: its " + what + " are [" + string.Join(", ", actual) + "], expected [" + string.Join(", ", expected) + "].", "model");
            }
        }
    }
}
