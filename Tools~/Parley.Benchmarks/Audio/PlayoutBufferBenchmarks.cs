using System;
using System.Collections.Concurrent;
using BenchmarkDotNet.Attributes;
using Parley.Audio;

namespace Parley.Benchmarks.Audio
{
    /// <summary>
    /// Steady-state playout of 24 kHz provider audio: per operation the receive task queues a 20 ms chunk
    /// (480 samples) and the audio thread renders 20 ms. Baseline: a ConcurrentQueue jitter buffer filled and
    /// drained per sample with silence on empty (no pre-roll, fades or cursor).
    /// </summary>
    [MemoryDiagnoser]
    public class PlayoutBufferBenchmarks
    {
        const int Block = 480;
        readonly float[] _chunk = new float[Block];
        readonly short[] _pcm16 = new short[Block];
        readonly float[] _out = new float[Block];
        readonly ConcurrentQueue<float> _queue = new ConcurrentQueue<float>();
        PlayoutBuffer _buffer;
        int _item;

        [GlobalSetup]
        public void Setup()
        {
            for (var i = 0; i < Block; i++)
            {
                _chunk[i] = (float)Math.Sin(i * 0.05) * 0.5f;
                _pcm16[i] = (short)(_chunk[i] * 32767);
            }
            _buffer = new PlayoutBuffer(24000, 1 << 16, prerollMs: 100);
            _item = _buffer.BeginItem();
            // Fill past pre-roll and the fade reserve so each operation moves one chunk through a playing buffer.
            for (var i = 0; i < 10; i++) _buffer.Write(_item, _chunk);
            _buffer.Read(_out);
        }

        [Benchmark(Baseline = true)]
        public float ConcurrentQueuePerSample()
        {
            for (var i = 0; i < Block; i++) _queue.Enqueue(_chunk[i]);
            for (var i = 0; i < Block; i++)
                if (!_queue.TryDequeue(out _out[i])) _out[i] = 0;
            return _out[Block - 1];
        }

        [Benchmark]
        public float PlayoutWriteRead()
        {
            _buffer.Write(_item, _chunk);
            _buffer.Read(_out);
            return _out[Block - 1];
        }

        [Benchmark]
        public float PlayoutWritePcm16Read()
        {
            _buffer.Write(_item, new ReadOnlySpan<short>(_pcm16));
            _buffer.Read(_out);
            return _out[Block - 1];
        }
    }
}
