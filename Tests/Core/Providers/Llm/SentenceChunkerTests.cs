using System.Collections.Generic;
using NUnit.Framework;
using Parley.Providers.Llm;

namespace Parley.Tests.Providers.Llm
{
    public class SentenceChunkerTests
    {
        static List<string> Run(string text, int piece, SentenceChunker chunker = null)
        {
            chunker = chunker ?? new SentenceChunker();
            var phrases = new List<string>();
            for (var i = 0; i < text.Length; i += piece)
                chunker.Push(text.Substring(i, System.Math.Min(piece, text.Length - i)), phrases);
            var rest = chunker.Flush();
            if (rest != null) phrases.Add(rest);
            return phrases;
        }

        [TestCase(1)]
        [TestCase(4)]
        [TestCase(1000)]
        public void CutsAtSentenceEndsWhateverTheDeltaSize(int piece)
        {
            var phrases = Run("Hello traveller, what brings you to my forge? A fine blade like this costs forty gold pieces. Come back at dusk!", piece);
            Assert.That(phrases, Is.EqualTo(new[]
            {
                "Hello traveller, what brings you to my forge?",
                "A fine blade like this costs forty gold pieces.",
                "Come back at dusk!",
            }));
        }

        [Test]
        public void DoesNotCutInsideNumbersOrAfterAbbreviationsOrInitials()
        {
            var phrases = Run("Dr. Smith paid 3.5 gold to J. Doe yesterday. Then he left.", 3);
            Assert.That(phrases, Is.EqualTo(new[] { "Dr. Smith paid 3.5 gold to J. Doe yesterday.", "Then he left." }));
        }

        [Test]
        public void ALongFirstClauseIsSpokenBeforeTheSentenceEnds()
        {
            var phrases = Run("Check the patient's airway first, then confirm breathing and circulation before you move them", 2);
            Assert.That(phrases[0], Is.EqualTo("Check the patient's airway first,"));
            Assert.That(string.Join(" ", phrases), Is.EqualTo("Check the patient's airway first, then confirm breathing and circulation before you move them"));
        }

        [Test]
        public void TextWithoutBoundariesIsCutAtASpaceBeforeTheLimit()
        {
            var words = new string[60];
            for (var i = 0; i < words.Length; i++) words[i] = "word" + i;
            var text = string.Join(" ", words);
            var phrases = Run(text, 5, new SentenceChunker { MaxChars = 50 });
            Assert.That(phrases.Count, Is.GreaterThan(1));
            foreach (var p in phrases) Assert.That(p.Length, Is.LessThanOrEqualTo(50));
            Assert.That(string.Join(" ", phrases), Is.EqualTo(text));
        }

        [Test]
        public void FlushOfNothingIsNull()
        {
            Assert.That(new SentenceChunker().Flush(), Is.Null);
        }
    }
}
