using System;
using System.Linq;
using NUnit.Framework;
using Parley.Simulation;
using UnityEngine;

namespace Parley.Tests.Simulation
{
    /// <summary>AudioClip's managed checks and wrap-around (api-signatures.md §2, audio-behaviour.md §2 and §4).</summary>
    public class AudioClipTests : SimulationFixture
    {
        [SetUp]
        public void Start() => StartPlayer();

        [Test]
        public void Create_checks_its_arguments_as_the_managed_wrapper_does()
        {
            Assert.Throws<NullReferenceException>(() => AudioClip.Create(null, 10, 1, 48000, false));
            Assert.Throws<ArgumentException>(() => AudioClip.Create("x", 0, 1, 48000, false));
            Assert.Throws<ArgumentException>(() => AudioClip.Create("x", 10, 0, 48000, false));
            Assert.Throws<ArgumentException>(() => AudioClip.Create("x", 10, 1, 0, false));
            var clip = AudioClip.Create("x", 480, 2, 48000, false);
            Assert.That((clip.samples, clip.channels, clip.frequency, clip.length), Is.EqualTo((480, 2, 48000, 0.01f)));
            Assert.That(clip.loadType, Is.EqualTo(AudioClipLoadType.DecompressOnLoad));
            Assert.That(AudioClip.Create("s", 480, 1, 48000, true).loadType, Is.EqualTo(AudioClipLoadType.Streaming));
        }

        [TestCase(1)]
        [TestCase(2)]
        public void SetData_and_GetData_wrap_around_the_end_of_the_clip(int channels)
        {
            const int frames = 1000;
            var clip = AudioClip.Create("ring", frames, channels, 48000, false);
            var block = Enumerable.Range(1, 100 * channels).Select(i => i / 1000f).ToArray();
            Assert.That(clip.SetData(block, frames - 30), Is.True);

            var whole = new float[frames * channels];
            clip.GetData(whole, 0);
            // The first 30 frames land at the end, the other 70 at the start (the documented wrap).
            Assert.That(whole.Skip((frames - 30) * channels).ToArray(), Is.EqualTo(block.Take(30 * channels).ToArray()));
            Assert.That(whole.Take(70 * channels).ToArray(), Is.EqualTo(block.Skip(30 * channels).ToArray()));
            Assert.That(whole.Skip(70 * channels).Take((frames - 100) * channels).All(v => v == 0f), Is.True);

            var across = new float[100 * channels];
            Assert.That(clip.GetData(across, frames - 30), Is.True);
            Assert.That(across, Is.EqualTo(block));
        }

        [Test]
        public void SetData_rejects_a_bad_offset_or_empty_data()
        {
            var clip = AudioClip.Create("c", 100, 1, 48000, false);
            Assert.Throws<ArgumentException>(() => clip.SetData(new float[10], -1));
            Assert.Throws<ArgumentException>(() => clip.SetData(new float[10], 100));
            Assert.Throws<ArgumentException>(() => clip.SetData(new float[0], 0));
            Assert.Throws<ArgumentException>(() => clip.SetData(null, 0));
        }

        [Test]
        public void GetData_on_a_streamed_clip_zero_fills_logs_and_returns_false()
        {
            SimulatedConsole.Clear();
            var clip = AudioClip.Create("stream", 4800, 1, 48000, true, data => { for (var i = 0; i < data.Length; i++) data[i] = 1f; });
            var buffer = Enumerable.Repeat(0.5f, 64).ToArray();
            Assert.That(clip.GetData(buffer, 0), Is.False);
            Assert.That(buffer.All(v => v == 0f), Is.True);
            Assert.That(SimulatedConsole.Snapshot().Any(l => l.StartsWith("Error: Cannot get data from streamed samples", StringComparison.Ordinal)), Is.True);
        }

        [Test]
        public void A_non_streamed_clip_with_a_reader_is_filled_at_Create_in_chunks()
        {
            var calls = 0;
            var next = 0;
            var clip = AudioClip.Create("generated", 10000, 1, 48000, false, data =>
            {
                calls++;
                for (var i = 0; i < data.Length; i++) data[i] = next++;
            });
            Assert.That(calls, Is.EqualTo(3), "10000 frames in chunks of 4096");
            var all = new float[10000];
            clip.GetData(all, 0);
            Assert.That(all, Is.EqualTo(Enumerable.Range(0, 10000).Select(i => (float)i).ToArray()));
        }
    }
}
