using System.Collections.Generic;
using System.Text;
using NUnit.Framework;
using Parley.Providers.Llm;

namespace Parley.Tests.Providers.Llm
{
    public class SseParserTests
    {
        static List<SseEvent> FeedInPieces(string wire, int piece)
        {
            var parser = new SseParser();
            var bytes = Encoding.UTF8.GetBytes(wire);
            var events = new List<SseEvent>();
            for (var i = 0; i < bytes.Length; i += piece)
            {
                parser.Feed(new System.ReadOnlySpan<byte>(bytes, i, System.Math.Min(piece, bytes.Length - i)));
                while (parser.TryRead(out var e)) events.Add(e);
            }
            return events;
        }

        [TestCase(1)]
        [TestCase(3)]
        [TestCase(7)]
        [TestCase(4096)]
        public void SplitsEventsWherEverTheBytesAreCut(int piece)
        {
            // A chat-completions stream as vLLM writes it, with a multi-byte character that pieces cut in half.
            var wire = "data: {\"choices\":[{\"delta\":{\"content\":\"Grüß \"}}]}\n\n" +
                       ": keep-alive comment\n\n" +
                       "data: {\"choices\":[{\"delta\":{\"content\":\"dich\"}}]}\r\n\r\n" +
                       "data: [DONE]\n\n";
            var events = FeedInPieces(wire, piece);
            Assert.That(events.Count, Is.EqualTo(3));
            Assert.That(events[0].Data, Does.Contain("Grüß "));
            Assert.That(events[1].Data, Does.Contain("dich"));
            Assert.That(events[2].Data, Is.EqualTo("[DONE]"));
        }

        [Test]
        public void JoinsMultiLineDataAndKeepsEventName()
        {
            var events = FeedInPieces("event: message\ndata: first\ndata:second\n\n", 5);
            Assert.That(events.Count, Is.EqualTo(1));
            Assert.That(events[0].Name, Is.EqualTo("message"));
            Assert.That(events[0].Data, Is.EqualTo("first\nsecond"));
        }

        [Test]
        public void AnUnterminatedEventIsNotDispatchedAndIsReportedAsPartial()
        {
            var parser = new SseParser();
            parser.Feed(Encoding.UTF8.GetBytes("data: {\"choices\":[{\"delta\":{\"content\":\"cut"));
            Assert.That(parser.TryRead(out _), Is.False);
            Assert.That(parser.HasPartial, Is.True);
        }
    }
}
