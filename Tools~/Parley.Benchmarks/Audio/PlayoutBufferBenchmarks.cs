using System;
using System.Collections.Concurrent;
using BenchmarkDotNet.Attributes;
using Parley.Audio;
using Parley.Audio.Kernels;

namespace Parley.Benchmarks.Audio
{
    /// <summary>
    /// Steady-state playout of 24 kHz provider audio: per operation the receive task queues a 20 ms chunk
    /// (480 samples) and the audio thread renders 20 ms. Baseline: a ConcurrentQueue jitter buffer filled and
    /// drained per sample with silence on empty (no pre-roll, fades or cursor).
    /// <para>Time-stretch: a sender paced at real time (480 samples per operation) against 21.3 ms render blocks (512),
    /// so the buffer runs short every few blocks and a pitch period is inserted (search + crossfade) to cover it; and the
    /// worst case of one render, the period search over a full staging (2 × 15 ms) and its insertion, alone.</para>
    /// </summary>
    [MemoryDiagnoser]
    public unsafe class PlayoutBufferBenchmarks
    {
        const int Block = 480;
        readonly float[] _chunk = new float[Block];
        readonly short[] _pcm16 = new short[Block];
        readonly float[] _out = new float[Block];
        readonly ConcurrentQueue<float> _queue = new ConcurrentQueue<float>();
        PlayoutBuffer _buffer;
        int _item;
        PlayoutBuffer _stretching;
        int _stretchItem;
        readonly float[] _voiced = new float[24000];
        int _voicedAt;
        readonly float[] _renderBlock = new float[512];
        readonly float[] _staging = new float[2048];

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

            // A voiced signal: 140 Hz with falling harmonics, as speech has.
            for (var i = 0; i < _voiced.Length; i++)
            {
                double v = 0;
                for (var h = 1; h <= 8; h++) v += Math.Sin(2 * Math.PI * 140 * h * i / 24000.0) / h;
                _voiced[i] = (float)(0.2 * v);
            }
            _stretching = new PlayoutBuffer(24000, 1 << 16, prerollMs: 20, maxPrerollMs: 200, timeStretch: true);
            _stretching.Read(_renderBlock);
            _stretchItem = _stretching.BeginItem();
            _stretching.Write(_stretchItem, new ReadOnlySpan<float>(_voiced, 0, 1440));
            _voicedAt = 1440;
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

        /// <summary>One paced chunk in, one 21.3 ms block out, with the time-stretch covering the shortfall (0 underruns).</summary>
        [Benchmark]
        public float PlayoutPacedWriteReadStretching()
        {
            if (_voicedAt + Block > _voiced.Length) _voicedAt = 0;
            _stretching.Write(_stretchItem, new ReadOnlySpan<float>(_voiced, _voicedAt, Block));
            _voicedAt += Block;
            _stretching.Read(_renderBlock);
            return _renderBlock[_renderBlock.Length - 1];
        }

        /// <summary>The work one expansion adds to a render: best-lag search over 2.5–15 ms (60–360 lags) and one period inserted.</summary>
        [Benchmark]
        public int StretchSearchAndInsertOnePeriod()
        {
            float score;
            Array.Copy(_voiced, 0, _staging, 0, 720 + 120);
            fixed (float* x = _staging)
            {
                var lag = StretchKernel.BestLag(x, 720 + 120, 60, 360, true, &score);
                StretchKernel.InsertPeriod(x, 720 + 120, lag);
                return lag;
            }
        }
    }
}
