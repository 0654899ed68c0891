using System;
using System.Collections.Generic;
using NUnit.Framework;
using Parley.Audio;
using Parley.Session.Audio;
using Parley.Tests.Support;

namespace Parley.Tests.Session
{
    public class PlayoutSpeakerTests
    {
        /// <summary>
        /// A reply at the TTS rate rendered in engine blocks sounds exactly like the whole reply resampled in one
        /// piece, including ratios where a block's source frames make a few frames more than the block holds.
        /// </summary>
        [TestCase(22050, 48000, 480)]
        [TestCase(22050, 44100, 441)]
        [TestCase(24000, 44100, 512)]
        [TestCase(16000, 48000, 256)]
        public void BlocksOfAnySizeMatchTheReplyResampledInOnePiece(int providerRate, int engineRate, int block)
        {
            var clip = TestWav.Speech("npc-price", providerRate == 22050 ? 22050 : providerRate);
            var pcm = new short[clip.Samples.Length];
            for (var i = 0; i < pcm.Length; i++) pcm[i] = (short)Math.Round(clip.Samples[i] * 32768.0);

            var speaker = new PlayoutSpeaker(providerRate, engineRate, block);
            Assert.That(speaker.Write("item", pcm), Is.True);
            speaker.EndItem("item");
            var rendered = new List<float>();
            var buffer = new float[block];
            while (speaker.QueuedSamples > 0 || rendered.Count < engineRate / 10)
            {
                speaker.Render(buffer, 1);
                rendered.AddRange(buffer);
            }
            for (var i = 0; i < engineRate / 10; i++) { speaker.Render(buffer, 1); rendered.AddRange(buffer); } // the filter's tail

            var reference = new Resampler(providerRate, engineRate);
            var source = new float[pcm.Length];
            for (var i = 0; i < pcm.Length; i++) source[i] = pcm[i] / 32768f;
            var expected = new float[reference.MaxOutputFor(source.Length) + reference.MaxFlushFrames];
            var n = reference.Process(source, expected);
            n += reference.Flush(new Span<float>(expected, n, expected.Length - n));

            var compared = Math.Min(n, rendered.Count);
            Assert.That(compared, Is.GreaterThan(n - block), "the whole reply was rendered");
            double err = 0, sig = 0;
            for (var i = 0; i < compared; i++) { var d = rendered[i] - expected[i]; err += d * d; sig += expected[i] * expected[i]; }
            Assert.That(10 * Math.Log10(err / sig + 1e-30), Is.LessThan(-90), "error vs one-piece resampling, dB");
            Assert.That(speaker.AgentFramesRendered * (double)providerRate / engineRate, Is.EqualTo(pcm.Length).Within(block * (double)providerRate / engineRate + 2));
        }
    }
}
