using System;
using System.Collections.Generic;
using System.Linq;
using BenchmarkDotNet.Attributes;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Parley.Audio.Vad;
using Parley.Onnx;

namespace Parley.Benchmarks
{
    /// <summary>
    /// Cost of one 32 ms chunk at 16 kHz (512 samples; target ≤ 1 ms and 0 B for Silero). Baseline: Silero the way
    /// most samples call it — new DenseTensors and NamedOnnxValues per chunk, <c>session.Run</c> returning a
    /// disposable result collection, the state copied out with ToArray — on the same model, frames and
    /// single-threaded session options. Parley's Silero binds preallocated tensors once; the energy VAD scores
    /// the same 32 ms as two 16 ms frames; Silero with the energy VAD's onsets (what barge-in uses) as two 16 ms
    /// decisions, Silero running on the second.
    /// </summary>
    [MemoryDiagnoser]
    public class VadBenchmarks
    {
        const int Chunk = 512;
        const int Context = 64;
        float[] m_Signal;
        int m_Position;

        SileroVoiceActivityDetector m_Silero;
        EnergyVoiceActivityDetector m_Energy, m_EnergyHops;
        IVoiceActivityDetector m_Assisted;
        InferenceSession m_Session;
        SessionOptions m_Options;
        float[] m_NaiveState = new float[256];
        float[] m_NaiveContext = new float[Context];

        [GlobalSetup]
        public void Setup()
        {
            // Ten seconds of a 200 Hz buzz with 5 Hz syllables over seeded noise: a speech-like load (Silero's cost does not depend on content).
            var random = new Random(1);
            m_Signal = new float[16000 * 10];
            for (var i = 0; i < m_Signal.Length; i++)
                m_Signal[i] = (float)(0.3 * Math.Sin(2 * Math.PI * 200 * i / 16000.0) * Math.Max(0, Math.Sin(2 * Math.PI * 5 * i / 16000.0)) + 0.01 * (random.NextDouble() - 0.5));
            var model = System.IO.File.ReadAllBytes(SileroModel.BundledPath);
            m_Silero = new SileroVoiceActivityDetector(model);
            m_Energy = new EnergyVoiceActivityDetector(16000);
            m_EnergyHops = new EnergyVoiceActivityDetector(16000, hopMs: 8);
            m_Assisted = VadEngines.CreateSileroWithEnergyOnset(model);
            m_Options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1, ExecutionMode = ExecutionMode.ORT_SEQUENTIAL };
            m_Session = new InferenceSession(model, m_Options);
        }

        [GlobalCleanup]
        public void Cleanup()
        {
            m_Silero.Dispose();
            m_Assisted.Dispose();
            m_Session.Dispose();
            m_Options.Dispose();
        }

        ReadOnlySpan<float> NextChunk()
        {
            if (m_Position + Chunk > m_Signal.Length) m_Position = 0;
            var span = new ReadOnlySpan<float>(m_Signal, m_Position, Chunk);
            m_Position += Chunk;
            return span;
        }

        [Benchmark(Baseline = true)]
        public float SileroPerChunkTensors()
        {
            var chunk = NextChunk();
            var input = new DenseTensor<float>(new[] { 1, Context + Chunk });
            for (var i = 0; i < Context; i++) input[0, i] = m_NaiveContext[i];
            for (var i = 0; i < Chunk; i++) input[0, Context + i] = chunk[i];
            chunk.Slice(Chunk - Context).CopyTo(m_NaiveContext);
            var inputs = new List<NamedOnnxValue>
            {
                NamedOnnxValue.CreateFromTensor("input", input),
                NamedOnnxValue.CreateFromTensor("state", new DenseTensor<float>(m_NaiveState, new[] { 2, 1, 128 })),
                NamedOnnxValue.CreateFromTensor("sr", new DenseTensor<long>(new long[] { 16000 }, Array.Empty<int>())),
            };
            using (var results = m_Session.Run(inputs))
            {
                var p = results.First(r => r.Name == "output").AsEnumerable<float>().First();
                m_NaiveState = results.First(r => r.Name == "stateN").AsEnumerable<float>().ToArray();
                return p;
            }
        }

        [Benchmark]
        public float SileroParley() => m_Silero.Process(NextChunk());

        [Benchmark]
        public float SileroWithEnergyOnsetParley()
        {
            var chunk = NextChunk();
            return Math.Max(m_Assisted.Process(chunk.Slice(0, 256)), m_Assisted.Process(chunk.Slice(256, 256)));
        }

        [Benchmark]
        public float EnergyParley()
        {
            var chunk = NextChunk();
            return Math.Max(m_Energy.Process(chunk.Slice(0, 256)), m_Energy.Process(chunk.Slice(256, 256)));
        }

        [Benchmark]
        public float EnergyHopsParley()
        {
            var chunk = NextChunk();
            var p = 0f;
            for (var i = 0; i < 4; i++) p = Math.Max(p, m_EnergyHops.Process(chunk.Slice(i * 128, 128)));
            return p;
        }
    }
}
