using System;
using System.Collections.Generic;
using Parley.Audio;

namespace Parley.Tests.Audio
{
    /// <summary>
    /// A reply sent in 20 ms chunks (480 samples at 24 kHz) every 20 ms, optionally each late by a uniform jitter (order
    /// kept), played by an audio thread reading 512-sample blocks (one 1024-frame DSP buffer at 48 kHz) every 512 samples
    /// from <see cref="Phase"/>. Time is counted in samples of a virtual clock, so every phase is reproduced exactly.
    /// </summary>
    public sealed class PlayoutStretchSimulation
    {
        public const int Rate = 24000, Chunk = 480, Block = 512;

        public int Phase;
        public double JitterMs;
        public int Seed = 1;
        public bool TimeStretch = true;

        // Results.
        public PlayoutBuffer Buffer;
        public int Item;
        public float[] Output;
        /// <summary>Virtual time (samples) of the block that started playback, counted from the first chunk's arrival.</summary>
        public int StartLatency = -1;
        /// <summary>Output sample index of the first block that carried audio.</summary>
        public int OutputStart = -1;
        /// <summary>Output index just after the last sample of the reply.</summary>
        public int OutputEnd;
        /// <summary>For each block in which a period was inserted: its output index and the played (source) cursor before it.</summary>
        public readonly List<(int Output, long Source)> Expansions = new List<(int, long)>();
        /// <summary>Bytes the audio thread's reads allocated.</summary>
        public long ReadAllocatedBytes;
        /// <summary>Played cursor (source samples) against output samples of the reply, after each block full of audio.</summary>
        public readonly List<(int Output, long Source)> Cursor = new List<(int, long)>();

        public double StartLatencyMs => StartLatency * 1000.0 / Rate;
        public double WarpPercent(int sourceLength) => (OutputEnd - OutputStart - sourceLength) * 100.0 / sourceLength;

        public PlayoutStretchSimulation Run(float[] reply)
        {
            var b = Buffer = new PlayoutBuffer(Rate, 1 << 20, prerollMs: 20, maxPrerollMs: 200, timeStretch: TimeStretch);
            var block = new float[Block];
            b.Read(block);   // an idle callback: the buffer learns the render block
            Item = b.BeginItem();
            var rng = new Random(Seed);
            var chunks = (reply.Length + Chunk - 1) / Chunk;
            var arrival = new int[chunks];
            var last = 0;
            for (var c = 0; c < chunks; c++)
                arrival[c] = last = Math.Max(last, c * Chunk + (c == 0 ? 0 : (int)(rng.NextDouble() * JitterMs * Rate / 1000)));
            var output = new List<float>(reply.Length * 2);
            var next = 0;
            for (var t = Phase; ; t += Block)
            {
                for (; next < chunks && arrival[next] <= t; next++)
                {
                    var at = next * Chunk;
                    b.Write(Item, new ReadOnlySpan<float>(reply, at, Math.Min(Chunk, reply.Length - at)));
                    if (next == chunks - 1) b.EndItem(Item);
                }
                var expandedBefore = b.Expanded;
                var sourceBefore = b.Played(Item);
                var allocated = GC.GetAllocatedBytesForCurrentThread();
                var got = b.Read(block);
                ReadAllocatedBytes += GC.GetAllocatedBytesForCurrentThread() - allocated;
                if (got > 0 && OutputStart < 0)
                {
                    OutputStart = output.Count;
                    StartLatency = t - arrival[0];
                }
                if (b.Expanded > expandedBefore) Expansions.Add((output.Count, sourceBefore));
                output.AddRange(block);
                if (OutputStart >= 0 && got == Block) Cursor.Add((output.Count - OutputStart, b.Played(Item)));
                if (got > 0) OutputEnd = output.Count - (Block - got);
                if (next == chunks && b.Played(Item) == reply.Length && !b.IsPlaying) break;
                if (t > 4 * reply.Length + 10 * Rate) break;   // never hangs a test that fails
            }
            Output = output.ToArray();
            return this;
        }
    }
}
