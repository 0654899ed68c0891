using System;
using BenchmarkDotNet.Attributes;
using Parley.Lipsync;
using Parley.Session.Audio;

namespace Parley.Benchmarks.Audio
{
    /// <summary>
    /// The audio thread's cost of lipsync read-ahead: one 256-frame DSP block (48 kHz) rendered from a 24 kHz reply, as
    /// the plain render (baseline), with the read-ahead handing the queued audio to a listener that only counts it (the
    /// peek, stamps and fan-out), and with the listener being a <see cref="LipsyncAnalyser"/> (what BlendShapeLipSync adds).
    /// Per operation the producer queues the 128 samples the block plays, so the queue holds ~1 s throughout.
    /// </summary>
    [MemoryDiagnoser]
    public class PlayoutReadAheadBenchmarks
    {
        const int Frames = 256;
        readonly short[] _chunk = new short[Frames / 2];
        readonly float[] _out = new float[Frames * 2];
        PlayoutSpeaker _plain, _counted, _analysed;
        IPlayoutReadAheadListener[] _counter, _lips;
        long _frame;

        sealed class Counter : IPlayoutReadAheadListener
        {
            public long Samples;
            public void OnQueued(ReadOnlySpan<float> mono, int sampleRate, double playTime) => Samples += mono.Length;
            public void OnCut(double heardAt) { }
        }

        sealed class Lips : IPlayoutReadAheadListener
        {
            public readonly LipsyncAnalyser Analyser = new LipsyncAnalyser(24000);
            public void OnQueued(ReadOnlySpan<float> mono, int sampleRate, double playTime) => Analyser.Write(mono, playTime);
            public void OnCut(double heardAt) => Analyser.Cut(heardAt);
        }

        [GlobalSetup]
        public void Setup()
        {
            for (var i = 0; i < _chunk.Length; i++) _chunk[i] = (short)(8000 * Math.Sin(2 * Math.PI * 140 * i / 24000.0));
            _counter = new IPlayoutReadAheadListener[] { new Counter() };
            _lips = new IPlayoutReadAheadListener[] { new Lips() };
            _plain = Speaker();
            _counted = Speaker();
            _analysed = Speaker();
        }

        PlayoutSpeaker Speaker()
        {
            var s = new PlayoutSpeaker(24000, 48000, Frames);
            for (var i = 0; i < 24000 / _chunk.Length; i++) s.Write("reply", _chunk);
            return s;
        }

        float Block(PlayoutSpeaker speaker, IPlayoutReadAheadListener[] listeners)
        {
            speaker.Write("reply", _chunk);
            if (listeners == null) speaker.Render(_out, 2);
            else speaker.Render(_out, 2, _frame / 48000.0 + 0.021, listeners);
            _frame += Frames;
            return _out[0];
        }

        [Benchmark(Baseline = true)]
        public float Render() => Block(_plain, null);

        [Benchmark]
        public float RenderWithReadAhead() => Block(_counted, _counter);

        [Benchmark]
        public float RenderWithReadAheadIntoLipsync() => Block(_analysed, _lips);
    }
}
