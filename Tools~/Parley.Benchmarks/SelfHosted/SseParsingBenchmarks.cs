using System.Collections.Generic;
using System.IO;
using System.Text;
using BenchmarkDotNet.Attributes;
using Parley.Providers.Llm;

namespace Parley.Benchmarks.SelfHosted
{
    /// <summary>
    /// Splitting a chat-completions SSE body (400 content chunks, as vLLM sends them) into events, fed in 1 KB network
    /// reads. Baseline: the common StreamReader.ReadLine loop over the whole body (which cannot run incrementally on
    /// a socket without blocking). Then the phrase chunker over the same reply's text deltas.
    /// </summary>
    [MemoryDiagnoser]
    public class SseParsingBenchmarks
    {
        byte[] _body;
        List<string> _deltas;

        [GlobalSetup]
        public void Setup()
        {
            var sb = new StringBuilder();
            _deltas = new List<string>();
            var words = "The bridge to the north washed away in the storm last night, so take the ford. ".Split(' ');
            for (var i = 0; i < 400; i++)
            {
                var piece = words[i % words.Length] + " ";
                _deltas.Add(piece);
                sb.Append("data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"")
                  .Append(piece).Append("\"},\"finish_reason\":null}]}\n\n");
            }
            sb.Append("data: [DONE]\n\n");
            _body = Encoding.UTF8.GetBytes(sb.ToString());
        }

        [Benchmark(Baseline = true)]
        public int StreamReaderLines()
        {
            var events = 0;
            using (var reader = new StreamReader(new MemoryStream(_body), Encoding.UTF8))
            {
                string line;
                while ((line = reader.ReadLine()) != null)
                    if (line.StartsWith("data: ")) events++;
            }
            return events;
        }

        [Benchmark]
        public int SseParserIn1KReads()
        {
            var parser = new SseParser();
            var events = 0;
            for (var i = 0; i < _body.Length; i += 1024)
            {
                parser.Feed(new System.ReadOnlySpan<byte>(_body, i, System.Math.Min(1024, _body.Length - i)));
                while (parser.TryRead(out _)) events++;
            }
            return events;
        }

        [Benchmark]
        public int SentenceChunkerOverDeltas()
        {
            var chunker = new SentenceChunker();
            var phrases = new List<string>();
            foreach (var d in _deltas) chunker.Push(d, phrases);
            return phrases.Count + (chunker.Flush() != null ? 1 : 0);
        }
    }
}
