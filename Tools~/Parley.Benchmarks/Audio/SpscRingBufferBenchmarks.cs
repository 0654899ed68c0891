using System.Collections.Concurrent;
using System.Collections.Generic;
using BenchmarkDotNet.Attributes;
using Parley.Audio;

namespace Parley.Benchmarks.Audio
{
    /// <summary>
    /// One 20 ms block at 48 kHz (960 samples) written then read back, per operation: the lock-free ring against
    /// what simpler audio packages do (a ConcurrentQueue or a locked Queue, one sample at a time).
    /// </summary>
    [MemoryDiagnoser]
    public class SpscRingBufferBenchmarks
    {
        const int Block = 960;
        readonly float[] _in = new float[Block];
        readonly float[] _out = new float[Block];
        readonly ConcurrentQueue<float> _concurrent = new ConcurrentQueue<float>();
        readonly Queue<float> _queue = new Queue<float>(1 << 16);
        readonly object _gate = new object();
        readonly SpscRingBuffer _ring = new SpscRingBuffer(1 << 16);

        [GlobalSetup]
        public void Setup()
        {
            for (var i = 0; i < Block; i++) _in[i] = (float)System.Math.Sin(i * 0.05) * 0.5f;
        }

        [Benchmark(Baseline = true)]
        public float ConcurrentQueuePerSample()
        {
            for (var i = 0; i < Block; i++) _concurrent.Enqueue(_in[i]);
            for (var i = 0; i < Block; i++) _concurrent.TryDequeue(out _out[i]);
            return _out[Block - 1];
        }

        [Benchmark]
        public float LockedQueuePerSample()
        {
            lock (_gate)
                for (var i = 0; i < Block; i++) _queue.Enqueue(_in[i]);
            lock (_gate)
                for (var i = 0; i < Block; i++) _out[i] = _queue.Dequeue();
            return _out[Block - 1];
        }

        [Benchmark]
        public float SpscRingBlock()
        {
            _ring.Write(_in);
            _ring.Read(_out);
            return _out[Block - 1];
        }
    }
}
