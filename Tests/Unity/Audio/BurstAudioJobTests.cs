#if PARLEY_BURST
using NUnit.Framework;
using Parley.Audio;
using Parley.Audio.Kernels;
using Parley.Tests.Support;
using Parley.Burst;
using Unity.Collections;
using Unity.Collections.LowLevel.Unsafe;
using Unity.Jobs;

namespace Parley.Tests.Unity
{
    /// <summary>The Burst jobs and direct-call wrappers produce exactly what the checked Core API produces.</summary>
    public unsafe class BurstAudioJobTests
    {
        [Test]
        public void Downmix_job_on_a_stereo_recording_matches_the_core_api()
        {
            var stereo = TestWav.Read(PackagePaths.Fixture("audio", "conversation", "user-turns-48k-stereo.wav"));
            var expected = new short[stereo.Frames];
            PcmConvert.DownmixToPcm16(stereo.Samples, 2, expected);

            using (var input = new NativeArray<float>(stereo.Samples, Allocator.TempJob))
            using (var output = new NativeArray<short>(stereo.Frames, Allocator.TempJob))
            {
                var job = new DownmixToPcm16Job { Input = input, Channels = 2, Output = output };
                Assert.That(job.Frames, Is.EqualTo(stereo.Frames));
                job.Run();
                Assert.That(Signals.FirstDifference(expected, output.ToArray()), Is.EqualTo(-1));
            }
        }

        [TestCase(1)]
        [TestCase(6)]
        public void Downmix_job_handles_other_channel_counts_and_scheduling(int channels)
        {
            var speech = TestWav.Speech("npc-price", 48000).Samples;
            var interleaved = new float[speech.Length * channels];
            ChannelMixer.Upmix(speech, channels, interleaved);
            var expected = new short[speech.Length];
            PcmConvert.FloatToPcm16(speech, expected);

            using (var input = new NativeArray<float>(interleaved, Allocator.TempJob))
            using (var output = new NativeArray<short>(speech.Length, Allocator.TempJob))
            {
                new DownmixToPcm16Job { Input = input, Channels = channels, Output = output }.Schedule().Complete();
                Assert.That(Signals.FirstDifference(expected, output.ToArray()), Is.EqualTo(-1));
            }
        }

        [Test]
        public void Downmix_job_with_a_short_output_converts_what_fits_and_no_more()
        {
            using (var input = new NativeArray<float>(new[] { 0.5f, 0.5f, 0.25f, 0.25f, 1f, 1f }, Allocator.Temp))
            using (var output = new NativeArray<short>(2, Allocator.Temp))
            {
                var job = new DownmixToPcm16Job { Input = input, Channels = 2, Output = output };
                Assert.That(job.Frames, Is.EqualTo(2));
                job.Run();
                Assert.That(output.ToArray(), Is.EqualTo(new short[] { 16384, 8192 }));
                Assert.That(new DownmixToPcm16Job { Input = input, Channels = 0, Output = output }.Frames, Is.EqualTo(0));
            }
        }

        [Test]
        public void Pcm16_to_float_job_matches_the_core_api()
        {
            var pcm = new short[TestWav.Speech("trainer-step", 24000).Samples.Length];
            PcmConvert.FloatToPcm16(TestWav.Speech("trainer-step", 24000).Samples, pcm);
            var expected = new float[pcm.Length];
            PcmConvert.Pcm16ToFloat(pcm, expected);

            using (var input = new NativeArray<short>(pcm, Allocator.TempJob))
            using (var output = new NativeArray<float>(pcm.Length, Allocator.TempJob))
            {
                new Pcm16ToFloatJob { Input = input, Output = output }.Run();
                Assert.That(Signals.FirstDifference(expected, output.ToArray()), Is.EqualTo(-1));
            }
        }

        [Test]
        public void Direct_call_wrappers_match_the_core_api_on_speech()
        {
            var speech = TestWav.Speech("user-question", 24000).Samples;
            var n = speech.Length;
            var pcm = new short[n];
            PcmConvert.FloatToPcm16(speech, pcm);
            var base64 = new byte[Pcm16Base64.EncodedLength(n)];
            var written = Pcm16Base64.Encode(pcm, base64);
            var mu = new byte[n];
            G711.MuLawEncode(pcm, mu);

            using (var src = new NativeArray<float>(speech, Allocator.Temp))
            using (var dst = new NativeArray<short>(n, Allocator.Temp))
            using (var text = new NativeArray<byte>(base64.Length, Allocator.Temp))
            using (var codes = new NativeArray<byte>(n, Allocator.Temp))
            {
                var s = (float*)src.GetUnsafeReadOnlyPtr();
                var d = (short*)dst.GetUnsafePtr();
                BurstAudioKernels.FloatToPcm16(s, n, d);
                Assert.That(Signals.FirstDifference(pcm, dst.ToArray()), Is.EqualTo(-1));
                Assert.That(BurstAudioKernels.Base64Encode((byte*)d, n * 2, (byte*)text.GetUnsafePtr()), Is.EqualTo(written));
                Assert.That(Signals.FirstDifference(base64, text.ToArray()), Is.EqualTo(-1));
                BurstAudioKernels.MuLawEncode(d, n, (byte*)codes.GetUnsafePtr());
                Assert.That(Signals.FirstDifference(mu, codes.ToArray()), Is.EqualTo(-1));
                Assert.That(BurstAudioKernels.RmsDbfs(s, n), Is.EqualTo(AudioLevel.RmsDbfs(speech)));
                Assert.That(BurstAudioKernels.PeakDbfs(s, n), Is.EqualTo(AudioLevel.PeakDbfs(speech)));

                var rng = DitherState.FromSeed(9);
                var expectedDithered = new short[n];
                PcmConvert.FloatToPcm16(speech, expectedDithered, ref rng);
                var rng2 = DitherState.FromSeed(9);
                BurstAudioKernels.FloatToPcm16Dithered(s, n, d, &rng2);
                Assert.That(Signals.FirstDifference(expectedDithered, dst.ToArray()), Is.EqualTo(-1));
                Assert.That(rng2.State, Is.EqualTo(rng.State));
            }
        }
    }
}
#endif
