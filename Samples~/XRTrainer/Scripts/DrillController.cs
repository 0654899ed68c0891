using System.Collections.Generic;
using System.Globalization;
using Parley.Samples.XRTrainer.Scoring;
using Parley.Unity.Agent;
using UnityEngine;

namespace Parley.Samples.XRTrainer
{
    /// <summary>
    /// Runs the drill: the clock starts when the instructor has read the briefing, every final transcript of the
    /// trainee is scored against the rubric (engine-free, in the Scoring assembly), and the checklist, the last
    /// lines of both sides and, at the end, the scorecard are drawn on screen.
    /// </summary>
    [AddComponentMenu("Parley Samples/Drill Controller")]
    public sealed class DrillController : MonoBehaviour
    {
        [SerializeField] VoiceAgent agent;
        [SerializeField] PushToTalk pushToTalk;

        readonly List<TranscriptLine> _heard = new List<TranscriptLine>();
        TrainingRubric _rubric;
        Scorecard _card;
        double _startedAt = -1;
        bool _finished;
        string _instructor = string.Empty;
        string _trainee = string.Empty;

        public void Bind(VoiceAgent voiceAgent, PushToTalk ptt)
        {
            agent = voiceAgent;
            pushToTalk = ptt;
        }

        /// <summary>The scorecard so far (null before the drill starts).</summary>
        public Scorecard Card => _card;

        void OnEnable()
        {
            _rubric = FireExtinguisherDrill.Create();
            if (agent == null) return;
            agent.UserTranscript += OnTrainee;
            agent.AgentTranscript += OnInstructor;
        }

        void OnDisable()
        {
            if (agent == null) return;
            agent.UserTranscript -= OnTrainee;
            agent.AgentTranscript -= OnInstructor;
        }

        void OnInstructor(string text, bool final)
        {
            _instructor = text;
            if (final && _startedAt < 0)
            {
                _startedAt = Time.unscaledTimeAsDouble;          // the briefing has been read: the drill starts
                _card = _rubric.Score(_heard);
            }
        }

        void OnTrainee(string text, bool final)
        {
            _trainee = text;
            if (!final || _startedAt < 0 || _finished) return;
            _heard.Add(new TranscriptLine(Elapsed, text));
            _card = _rubric.Score(_heard);
            if (_card.Completed == _rubric.Steps.Count) Finish();
        }

        double Elapsed => _startedAt < 0 ? 0 : Time.unscaledTimeAsDouble - _startedAt;

        void Update()
        {
            if (!_finished && _startedAt >= 0 && _rubric.TimeLimitSeconds > 0 && Elapsed > _rubric.TimeLimitSeconds) Finish();
        }

        void Finish()
        {
            _finished = true;
            _card = _rubric.Score(_heard);
            Debug.Log("Parley XR Trainer: " + _card.Summary());
            if (agent != null && agent.IsConversing)
                agent.SendText("The drill is over. The trainee scored " + _card.Score.ToString("0", CultureInfo.InvariantCulture) +
                               " out of 100. In two sentences, tell them what went well and what to practise: " + _card.Summary());
        }

        void OnGUI()
        {
            var c = CultureInfo.InvariantCulture;
            var help = pushToTalk != null ? "Hold " + pushToTalk.Binding + " to talk." : string.Empty;
            var clock = _startedAt < 0 ? "Listen to the briefing." : (_finished ? "Drill over." : Elapsed.ToString("0", c) + " s");
            GUI.Box(new Rect(10, 10, 420, 40), _rubric.Name + " - " + clock + " " + help);
            var y = 56f;
            if (_card != null)
                foreach (var step in _card.Steps)
                {
                    var mark = step.Done ? (step.Note.Length == 0 ? "[x] " : "[~] ") : "[ ] ";
                    GUI.Label(new Rect(16, y, 420, 22), mark + (step.Done || _finished ? step.Step.Title : "?") + (step.Note.Length > 0 && step.Done ? " (" + step.Note + ")" : string.Empty));
                    y += 22;
                }
            if (_finished && _card != null) GUI.Box(new Rect(10, y + 8, 420, 30), "Score " + _card.Score.ToString("0", c) + "/100 - " + (_card.Passed ? "pass" : "not yet"));
            GUI.Label(new Rect(10, Screen.height - 90, Screen.width - 20, 40), "Instructor: " + _instructor);
            GUI.Label(new Rect(10, Screen.height - 50, Screen.width - 20, 40), "You: " + _trainee);
        }
    }
}
