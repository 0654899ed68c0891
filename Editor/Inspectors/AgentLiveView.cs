using System;
using System.Collections.Generic;
using Parley.Audio;
using Parley.Session;

namespace Parley.Editor.Inspectors
{
    /// <summary>
    /// What the VoiceAgent inspector shows in Play mode: the session state, input and output levels as meters that
    /// fall back at a fixed rate (so a word stays visible between repaints), and the transcript, partial lines growing
    /// until the final text replaces them. Fed on the main thread by the inspector; time is passed in, not read.
    /// </summary>
    public sealed class AgentLiveView
    {
        /// <summary>Meters fall this many dB per second after a peak.</summary>
        public const float ReleaseDbPerSecond = 20f;
        public const float FloorDbfs = -60f;

        public sealed class Line
        {
            public string Speaker;
            public string Text;
            public bool Final;
        }

        readonly int _capacity;
        readonly List<Line> _lines = new List<Line>();
        Line _openUser, _openAgent;

        public AgentLiveView(int capacity = 12) { _capacity = Math.Max(1, capacity); }

        public SessionState State { get; private set; } = SessionState.Idle;
        public float InputDbfs { get; private set; } = FloorDbfs;
        public float OutputDbfs { get; private set; } = FloorDbfs;
        public IReadOnlyList<Line> Lines => _lines;

        public void OnState(SessionState state) => State = state;

        /// <summary>A block of captured audio (any channel layout: the level of all samples).</summary>
        public void OnInput(ReadOnlySpan<float> samples, double nowSeconds) => InputDbfs = Meter(InputDbfs, AudioLevel.RmsDbfs(samples), nowSeconds, ref _inputAt);

        /// <summary>The output's current RMS level in dBFS (the agent's voice measures its rendered blocks).</summary>
        public void OnOutputLevel(float dbfs, double nowSeconds) => OutputDbfs = Meter(OutputDbfs, dbfs, nowSeconds, ref _outputAt);

        double _inputAt = double.NaN, _outputAt = double.NaN;

        static float Meter(float shown, float measured, double now, ref double lastAt)
        {
            var fallen = double.IsNaN(lastAt) ? FloorDbfs : shown - (float)((now - lastAt) * ReleaseDbPerSecond);
            lastAt = now;
            var m = float.IsNaN(measured) || measured < FloorDbfs ? FloorDbfs : Math.Min(0f, measured);
            return Math.Max(Math.Max(fallen, m), FloorDbfs);
        }

        public void OnUserTranscript(string text, bool isFinal) => Add(ref _openUser, "Player", text, isFinal);

        public void OnAgentTranscript(string text, bool isFinal) => Add(ref _openAgent, "Agent", text, isFinal);

        /// <summary>Partial events carry a delta (appended); the final one carries the whole utterance (replaces).</summary>
        void Add(ref Line open, string speaker, string text, bool isFinal)
        {
            if (text == null) return;
            if (open == null)
            {
                open = new Line { Speaker = speaker, Text = string.Empty };
                _lines.Add(open);
                if (_lines.Count > _capacity) _lines.RemoveAt(0);
            }
            if (isFinal) { open.Text = text; open.Final = true; open = null; }
            else open.Text += text;
        }

        /// <summary>A text meter for an inspector label: 20 cells from -60 to 0 dBFS and the value.</summary>
        public static string Bar(float dbfs)
        {
            const int cells = 20;
            var filled = (int)Math.Round((Math.Max(FloorDbfs, Math.Min(0f, dbfs)) - FloorDbfs) / -FloorDbfs * cells);
            return new string('█', filled) + new string('░', cells - filled) + " " + (dbfs <= FloorDbfs ? "silent" : dbfs.ToString("0") + " dBFS");
        }
    }
}
