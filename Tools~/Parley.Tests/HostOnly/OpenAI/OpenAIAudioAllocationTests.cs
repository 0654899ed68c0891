using System;
using System.Text;
using NUnit.Framework;
using Parley.Providers.OpenAI;

namespace Parley.Tests.HostOnly.OpenAI
{
    /// <summary>The per-chunk OpenAI audio paths (append built, delta decoded) allocate nothing in steady state, in every encoding.</summary>
    public class OpenAIAudioAllocationTests
    {
        [TestCase(OpenAIAudioEncoding.Pcm24k, 480)]
        [TestCase(OpenAIAudioEncoding.Pcmu, 160)]
        [TestCase(OpenAIAudioEncoding.Pcma, 160)]
        public void AppendBuild_And_DeltaDecode_AllocateZeroBytes(OpenAIAudioEncoding encoding, int samples)
        {
            var pcm = new short[samples];
            for (var i = 0; i < pcm.Length; i++) pcm[i] = (short)(Math.Sin(i * 0.1) * 9000);
            var writer = new AppendEventWriter();
            var bytesPerSample = encoding == OpenAIAudioEncoding.Pcm24k ? 2 : 1;
            var payload = new byte[samples * 5 * bytesPerSample];
            new Random(3).NextBytes(payload);
            var message = Encoding.UTF8.GetBytes("{\"type\":\"response.output_audio.delta\",\"event_id\":\"e\",\"response_id\":\"r\",\"item_id\":\"item_1\",\"output_index\":0,\"content_index\":0,\"delta\":\"" + Convert.ToBase64String(payload) + "\"}");
            var decoder = new OpenAIAudioDeltaDecoder(encoding);
            long allocated = 0, work = 0;
            var decodedAll = true;
            // The first pass JIT-compiles and sizes the buffers; the second is measured.
            for (var pass = 0; pass < 2; pass++)
            {
                var before = GC.GetAllocatedBytesForCurrentThread();
                for (var i = 0; i < 50; i++)
                {
                    work += writer.Build(pcm, encoding).Length;
                    decodedAll &= decoder.TryDecode(message, out var item, out var decoded);
                    work += decoded.Length + item.Length;
                }
                allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            }
            Assert.That(decodedAll, Is.True);
            Assert.That(work, Is.EqualTo(2 * 50 * (writer.Build(pcm, encoding).Length + samples * 5 + "item_1".Length)));
            Assert.That(allocated, Is.EqualTo(0));
        }
    }
}
