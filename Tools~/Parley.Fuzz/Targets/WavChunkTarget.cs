using System;
using System.Collections.Generic;
using Parley.Providers.MiniCpmo;

namespace Parley.Fuzz
{
    /// <summary>MiniCPM-o's per-step WAV files (<see cref="WavChunk.Parse"/>): the data it names lies inside the input, whole samples.</summary>
    public sealed class WavChunkTarget : FuzzTarget
    {
        public override string Name => "wav-chunk";
        public override string Decoder => "WavChunk.Parse";
        public override string TypedErrors => "FormatException";
        public override bool IsTypedError(Exception e) => e is FormatException;

        public override IEnumerable<byte[]> Seeds(SeedFiles files)
        {
            var rng = new Random(3);
            foreach (var n in new[] { 0, 1, 7, 240, 960 })
            {
                var pcm = new short[n];
                for (var i = 0; i < n; i++) pcm[i] = (short)rng.Next(short.MinValue, short.MaxValue);
                var wav = new byte[WavChunk.HeaderBytes + n * 2];
                WavChunk.Write(pcm, 24000, wav);
                yield return wav;
                // What other writers add: a LIST chunk (odd size, padded) before data, and a streaming size of 0xFFFFFFFF.
                var list = new byte[] { (byte)'L', (byte)'I', (byte)'S', (byte)'T', 5, 0, 0, 0, 1, 2, 3, 4, 5, 0 };
                var withList = new byte[wav.Length + list.Length];
                Buffer.BlockCopy(wav, 0, withList, 0, 36);
                Buffer.BlockCopy(list, 0, withList, 36, list.Length);
                Buffer.BlockCopy(wav, 36, withList, 36 + list.Length, wav.Length - 36);
                yield return withList;
                var streaming = (byte[])wav.Clone();
                streaming[40] = streaming[41] = streaming[42] = streaming[43] = 0xFF;
                yield return streaming;
            }
        }

        public override Outcome Run(byte[] input)
        {
            WavChunk.Parse(input, out _, out _, out var offset, out var bytes);
            if (offset < 0 || bytes < 0 || offset > input.Length || bytes > input.Length - offset)
                throw new FuzzFinding("Data chunk outside the file (offset " + offset + ", " + bytes + " bytes of " + input.Length + ").");
            if ((bytes & 1) != 0) throw new FuzzFinding("Odd data byte count.");
            return Outcome.Decoded;
        }
    }
}
