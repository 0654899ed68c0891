using System;
using System.Collections.Generic;
using System.Text;
using Parley.Providers.Llm;

namespace Parley.Fuzz
{
    /// <summary>
    /// <see cref="SseParser"/> fed in random pieces (split anywhere, inside CRLF or a UTF-8 sequence) against a
    /// straightforward reading of the WHATWG rules over the whole decoded text. It has no error path: any exception
    /// is a finding, and so is any difference in the events.
    /// </summary>
    public sealed class SseParserTarget : FuzzTarget
    {
        public override string Name => "sse-parser";
        public override string Decoder => "SseParser.Feed/TryRead (random splits) vs a whole-text WHATWG reading";
        public override string TypedErrors => "none (every byte sequence is a stream)";
        public override bool IsTypedError(Exception e) => false;

        public override IEnumerable<byte[]> Seeds(SeedFiles files) => LlmStreamTarget.StreamSeeds();

        public override Outcome Run(byte[] input)
        {
            var parser = new SseParser();
            var rng = new Random(Hash(input));
            var got = new List<SseEvent>();
            for (var at = 0; at < input.Length;)
            {
                var n = Math.Min(input.Length - at, rng.Next(3) == 0 ? 1 : 1 + rng.Next(64));
                parser.Feed(new ReadOnlySpan<byte>(input, at, n));
                at += n;
                while (parser.TryRead(out var e)) got.Add(e);
            }
            var expected = Reference(input, out var partial);
            if (got.Count != expected.Count) throw new FuzzFinding("Event count " + got.Count + ", expected " + expected.Count + ".");
            for (var i = 0; i < got.Count; i++)
                if (got[i].Name != expected[i].Name || got[i].Data != expected[i].Data) throw new FuzzFinding("Event " + i + " differs from the reference.");
            if (parser.HasPartial != partial) throw new FuzzFinding("HasPartial is " + parser.HasPartial + ", expected " + partial + ".");
            return got.Count > 0 ? Outcome.Decoded : Outcome.Rejected;
        }

        static int Hash(byte[] b)
        {
            unchecked
            {
                var h = (int)2166136261;
                foreach (var x in b) h = (h ^ x) * 16777619;
                return h;
            }
        }

        /// <summary>WHATWG "interpreting an event stream", over text decoded in one go; no BOM handling, as in the parser.</summary>
        static List<SseEvent> Reference(byte[] input, out bool partial)
        {
            var text = Encoding.UTF8.GetString(input);
            var events = new List<SseEvent>();
            var data = new StringBuilder();
            var hasData = false;
            string name = null;
            var start = 0;
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (c != '\r' && c != '\n') continue;
                var line = text.Substring(start, i - start);
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
                start = i + 1;
                if (line.Length == 0)
                {
                    if (hasData) events.Add(new SseEvent(name, data.ToString()));
                    data.Clear();
                    hasData = false;
                    name = null;
                    continue;
                }
                if (line[0] == ':') continue;
                var colon = line.IndexOf(':');
                var field = colon < 0 ? line : line.Substring(0, colon);
                var value = colon < 0 ? "" : line.Substring(colon + 1);
                if (value.StartsWith(" ", StringComparison.Ordinal)) value = value.Substring(1);
                if (field == "data")
                {
                    if (hasData) data.Append('\n');
                    data.Append(value);
                    hasData = true;
                }
                else if (field == "event") name = value;
            }
            partial = start < text.Length || hasData;
            return events;
        }
    }
}
