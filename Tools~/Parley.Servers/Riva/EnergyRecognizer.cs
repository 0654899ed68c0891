using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using Parley.Servers.Common;

namespace Parley.Servers.Riva
{
    public struct RecognizedWord
    {
        public string Word;
        public int StartMs;
        public int EndMs;
    }

    /// <summary>One recogniser output: a partial (delta of words, plus the whole hypothesis so far) or a final.</summary>
    public sealed class RecognizerEvent
    {
        public bool Final;
        public bool Last;
        public string ItemId;
        public string Delta;
        public string Hypothesis;
        public string Transcript;
        public readonly List<RecognizedWord> Words = new List<RecognizedWord>();
    }

    /// <summary>
    /// The test servers' "recogniser": a 20 ms energy VAD over the audio actually received finds utterances and
    /// their end; the words come from a script and are revealed one per <c>wordEveryMs</c> of speech.
    /// </summary>
    public sealed class EnergyRecognizer
    {
        readonly ConcurrentQueue<string> _transcripts;
        readonly int _rate, _frame, _endSilenceMs, _wordEveryMs;
        readonly double _threshold;
        readonly List<short> _carry = new List<short>();
        long _position, _speechStart, _lastVoiced;
        bool _inSpeech;
        string[] _words = new string[0];
        int _revealed, _items;
        string _itemId;

        public EnergyRecognizer(ConcurrentQueue<string> transcripts, int rate, double threshold, int endSilenceMs, int wordEveryMs)
        {
            _transcripts = transcripts;
            _rate = rate;
            _frame = rate / 50;
            _threshold = threshold;
            _endSilenceMs = endSilenceMs;
            _wordEveryMs = wordEveryMs;
        }

        double Ms(long samples) => samples * 1000.0 / _rate;

        public List<RecognizerEvent> Feed(short[] samples)
        {
            var events = new List<RecognizerEvent>();
            _carry.AddRange(samples);
            var all = _carry.ToArray();
            var offset = 0;
            while (all.Length - offset >= _frame)
            {
                var voiced = ServerAudio.Rms(new ReadOnlySpan<short>(all, offset, _frame)) > _threshold;
                offset += _frame;
                _position += _frame;
                if (voiced)
                {
                    if (!_inSpeech)
                    {
                        _inSpeech = true;
                        _speechStart = _position - _frame;
                        _transcripts.TryDequeue(out var text);
                        _words = (text ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
                        _revealed = 0;
                        _itemId = "item_" + (++_items);
                    }
                    _lastVoiced = _position;
                }
                if (!_inSpeech) continue;
                var due = Math.Min(_words.Length - 1, (int)(Ms(_position - _speechStart) / _wordEveryMs));
                while (_revealed < due)
                {
                    _revealed++;
                    events.Add(new RecognizerEvent
                    {
                        ItemId = _itemId,
                        Delta = (_revealed == 1 ? "" : " ") + _words[_revealed - 1],
                        Hypothesis = string.Join(" ", _words, 0, _revealed),
                    });
                }
                if (Ms(_position - _lastVoiced) >= _endSilenceMs) events.Add(Complete(false));
            }
            _carry.RemoveRange(0, offset);
            return events;
        }

        RecognizerEvent Complete(bool last)
        {
            var e = new RecognizerEvent { Final = true, Last = last, ItemId = _itemId, Transcript = _inSpeech ? string.Join(" ", _words) : "" };
            if (_inSpeech && _words.Length > 0)
            {
                var start = Ms(_speechStart);
                var step = (Ms(_lastVoiced) - start) / _words.Length;
                for (var i = 0; i < _words.Length; i++)
                    e.Words.Add(new RecognizedWord { Word = _words[i], StartMs = (int)(start + i * step), EndMs = (int)(start + (i + 1) * step) });
            }
            _inSpeech = false;
            return e;
        }

        /// <summary>End of the audio: the open utterance (if any) and a last, empty result.</summary>
        public List<RecognizerEvent> End()
        {
            var events = new List<RecognizerEvent>();
            if (_inSpeech) events.Add(Complete(false));
            events.Add(Complete(true));
            return events;
        }
    }
}
