using System;
using System.Text;
using BenchmarkDotNet.Attributes;
using Newtonsoft.Json.Linq;
using Parley.Audio.Kernels;
using Parley.Providers.OpenAI;

namespace Parley.Benchmarks
{
    /// <summary>
    /// Receiving `response.output_audio.delta`: the provider's scanner + in-place base64 decode into a reused
    /// buffer, against the obvious code (string, JObject DOM, Convert.FromBase64String, copy to samples).
    /// DeltaBytes = base64 characters per event (4 KB ≈ 64 ms, 16 KB ≈ 256 ms of 24 kHz audio).
    /// </summary>
    [MemoryDiagnoser]
    public class OpenAIAudioDeltaReceiveBenchmarks
    {
        [Params(4096, 16384)] public int DeltaBytes;

        byte[] _message;
        short[] _samples;
        readonly OpenAIAudioDeltaDecoder _decoder = new OpenAIAudioDeltaDecoder();

        [GlobalSetup]
        public void Setup()
        {
            var pcm = new byte[DeltaBytes / 4 * 3];
            var rng = new Random(7);
            rng.NextBytes(pcm);
            var json = "{\"type\":\"response.output_audio.delta\",\"event_id\":\"event_4950\",\"response_id\":\"resp_001\",\"item_id\":\"item_CDE9hyb9tHcCJhJ1l4cHm\",\"output_index\":0,\"content_index\":0,\"delta\":\"" + Convert.ToBase64String(pcm) + "\"}";
            _message = Encoding.UTF8.GetBytes(json);
            _samples = new short[pcm.Length / 2];
            _decoder.TryDecode(_message, out _, out _); // warm the item-id cache and buffer, as in a stream
        }

        [Benchmark(Baseline = true)]
        public int JObjectParse_FromBase64String()
        {
            var o = JObject.Parse(Encoding.UTF8.GetString(_message));
            var item = (string)o["item_id"];
            var bytes = Convert.FromBase64String((string)o["delta"]);
            Buffer.BlockCopy(bytes, 0, _samples, 0, bytes.Length);
            return item.Length + bytes.Length;
        }

        [Benchmark]
        public int Scanner_DecodeInPlace()
        {
            _decoder.TryDecode(_message, out var item, out var pcm);
            return item.Length + pcm.Length;
        }
    }

    /// <summary>Sending `input_audio_buffer.append` for a 20 ms / 100 ms chunk of 24 kHz audio.</summary>
    [MemoryDiagnoser]
    public class OpenAIAppendSendBenchmarks
    {
        [Params(480, 2400)] public int Samples;
        short[] _pcm;
        readonly AppendEventWriter _writer = new AppendEventWriter();

        [GlobalSetup]
        public void Setup()
        {
            _pcm = new short[Samples];
            for (var i = 0; i < _pcm.Length; i++) _pcm[i] = (short)(Math.Sin(i * 0.05) * 12000);
            _writer.Build(_pcm);
        }

        [Benchmark(Baseline = true)]
        public int JObject_ToBase64String()
        {
            var bytes = new byte[_pcm.Length * 2];
            Buffer.BlockCopy(_pcm, 0, bytes, 0, bytes.Length);
            var o = new JObject { ["type"] = "input_audio_buffer.append", ["audio"] = Convert.ToBase64String(bytes) };
            return Encoding.UTF8.GetBytes(o.ToString(Newtonsoft.Json.Formatting.None)).Length;
        }

        [Benchmark]
        public int AppendWriter_ReusedBuffer() => _writer.Build(_pcm).Length;
    }

    /// <summary>
    /// Receiving a G.711 µ-law `response.output_audio.delta` (`audio/pcmu`): scanner + base64 into a reused byte
    /// buffer + table expansion into reused PCM16, against JObject + Convert.FromBase64String + a decode loop.
    /// DeltaBytes = base64 characters per event (1 KB ≈ 96 ms, 4 KB ≈ 384 ms of 8 kHz audio).
    /// </summary>
    [MemoryDiagnoser]
    public class OpenAIG711DeltaReceiveBenchmarks
    {
        [Params(1024, 4096)] public int DeltaBytes;

        byte[] _message;
        short[] _samples;
        readonly OpenAIAudioDeltaDecoder _decoder = new OpenAIAudioDeltaDecoder(OpenAIAudioEncoding.Pcmu);

        [GlobalSetup]
        public void Setup()
        {
            var codes = new byte[DeltaBytes / 4 * 3];
            new Random(7).NextBytes(codes);
            var json = "{\"type\":\"response.output_audio.delta\",\"event_id\":\"event_4950\",\"response_id\":\"resp_001\",\"item_id\":\"item_CDE9hyb9tHcCJhJ1l4cHm\",\"output_index\":0,\"content_index\":0,\"delta\":\"" + Convert.ToBase64String(codes) + "\"}";
            _message = Encoding.UTF8.GetBytes(json);
            _samples = new short[codes.Length];
            _decoder.TryDecode(_message, out _, out _);
        }

        [Benchmark(Baseline = true)]
        public int JObjectParse_FromBase64String_DecodeLoop()
        {
            var o = JObject.Parse(Encoding.UTF8.GetString(_message));
            var item = (string)o["item_id"];
            var codes = Convert.FromBase64String((string)o["delta"]);
            for (var i = 0; i < codes.Length; i++) _samples[i] = G711Kernel.MuLawDecode(codes[i]);
            return item.Length + codes.Length;
        }

        [Benchmark]
        public int Scanner_DecodeG711()
        {
            _decoder.TryDecode(_message, out var item, out var pcm);
            return item.Length + pcm.Length;
        }
    }

    /// <summary>Sending `input_audio_buffer.append` in `audio/pcmu` for a 20 ms / 100 ms chunk of 8 kHz audio.</summary>
    [MemoryDiagnoser]
    public class OpenAIG711AppendSendBenchmarks
    {
        [Params(160, 800)] public int Samples;
        short[] _pcm;
        readonly AppendEventWriter _writer = new AppendEventWriter();

        [GlobalSetup]
        public void Setup()
        {
            _pcm = new short[Samples];
            for (var i = 0; i < _pcm.Length; i++) _pcm[i] = (short)(Math.Sin(i * 0.15) * 12000);
            _writer.Build(_pcm, OpenAIAudioEncoding.Pcmu);
        }

        [Benchmark(Baseline = true)]
        public int EncodeLoop_JObject_ToBase64String()
        {
            var codes = new byte[_pcm.Length];
            for (var i = 0; i < codes.Length; i++) codes[i] = G711Kernel.MuLawEncode(_pcm[i]);
            var o = new JObject { ["type"] = "input_audio_buffer.append", ["audio"] = Convert.ToBase64String(codes) };
            return Encoding.UTF8.GetBytes(o.ToString(Newtonsoft.Json.Formatting.None)).Length;
        }

        [Benchmark]
        public int AppendWriter_G711_ReusedBuffers() => _writer.Build(_pcm, OpenAIAudioEncoding.Pcmu).Length;
    }
}
