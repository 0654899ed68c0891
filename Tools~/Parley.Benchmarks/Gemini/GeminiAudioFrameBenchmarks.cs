using System;
using System.Text;
using BenchmarkDotNet.Attributes;
using Newtonsoft.Json.Linq;
using Parley.Audio;
using Parley.Providers.Gemini;

namespace Parley.Benchmarks.Gemini;

/// <summary>
/// One Gemini Live output audio frame (100 ms at 24 kHz, as the server sends them) from received bytes to PCM16,
/// and one 20 ms input frame from PCM16 to message bytes. Baseline: the obvious Json.NET route (string, JObject,
/// Convert.FromBase64String / ToBase64String).
/// </summary>
[MemoryDiagnoser]
public class GeminiAudioFrameBenchmarks
{
    byte[] _frame;
    short[] _pcmOut;
    short[] _pcmIn;
    byte[] _sendBuffer;
    readonly GeminiServerMessage _message = new GeminiServerMessage();

    [GlobalSetup]
    public void Setup()
    {
        var pcm = new short[2400];
        for (var i = 0; i < pcm.Length; i++) pcm[i] = (short)(Math.Sin(i * 0.05) * 9000);
        var bytes = new byte[pcm.Length * 2];
        Buffer.BlockCopy(pcm, 0, bytes, 0, bytes.Length);
        // Pretty-printed like the real server's frames.
        _frame = Encoding.UTF8.GetBytes("{\n  \"serverContent\": {\n    \"modelTurn\": {\n      \"parts\": [\n        {\n          \"inlineData\": {\n            \"mimeType\": \"audio/pcm;rate=24000\",\n            \"data\": \""
                                        + Convert.ToBase64String(bytes) + "\"\n          }\n        }\n      ]\n    }\n  }\n}\n");
        _pcmOut = new short[4096];
        _pcmIn = new short[320];
        for (var i = 0; i < _pcmIn.Length; i++) _pcmIn[i] = (short)(i * 50);
        _sendBuffer = new byte[GeminiClientMessages.AudioMessageLength(_pcmIn.Length)];
    }

    [Benchmark(Baseline = true)]
    public int Receive_JsonNet()
    {
        var o = JObject.Parse(Encoding.UTF8.GetString(_frame));
        var data = (string)o["serverContent"]["modelTurn"]["parts"][0]["inlineData"]["data"];
        var bytes = Convert.FromBase64String(data);
        Buffer.BlockCopy(bytes, 0, _pcmOut, 0, bytes.Length);
        return bytes.Length / 2;
    }

    [Benchmark]
    public int Receive_InPlace()
    {
        GeminiServerMessageReader.Read(_frame, _message);
        var a = _message.Audio[0];
        return Pcm16Base64.Decode(new ReadOnlySpan<byte>(_frame, a.Start, a.Length), _pcmOut);
    }

    [Benchmark]
    public int Send_JsonNet()
    {
        var bytes = new byte[_pcmIn.Length * 2];
        Buffer.BlockCopy(_pcmIn, 0, bytes, 0, bytes.Length);
        var o = new JObject { ["realtimeInput"] = new JObject { ["audio"] = new JObject { ["data"] = Convert.ToBase64String(bytes), ["mimeType"] = "audio/pcm;rate=16000" } } };
        return Encoding.UTF8.GetBytes(o.ToString(Newtonsoft.Json.Formatting.None)).Length;
    }

    [Benchmark]
    public int Send_InPlace() => GeminiClientMessages.WriteAudio(_pcmIn, _sendBuffer);
}
