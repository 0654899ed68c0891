using System;
using System.Linq;
using NUnit.Framework;
using Parley.Samples.XRTrainer.Scoring;

namespace Parley.Tests.HostOnly.Samples
{
    /// <summary>
    /// The XR Trainer sample's rubric on transcripts as recognisers deliver them (fillers, punctuation or none,
    /// misheard words). Expected scores are worked out by hand from the drill's shares (completion 0.6, order 0.25,
    /// time 0.15 of each step's weight 1, six steps) and deadlines (30, 60, 60, 75, 90, 105 s; limit 180 s).
    /// </summary>
    public class TrainingRubricTests
    {
        static Scorecard Score(params (double s, string text)[] lines) =>
            FireExtinguisherDrill.Create().Score(lines.Select(l => new TranscriptLine(l.s, l.text)));

        static StepResult Step(Scorecard card, string id) => card.Steps.Single(s => s.Step.Id == id);

        [Test]
        public void A_trainee_who_says_every_step_in_order_and_in_time_scores_100()
        {
            var card = Score(
                (4.2, "Okay. Uh, first I'd pull the fire alarm on the wall and shout fire so everyone gets out."),
                (14.8, "Then I check that the exit is behind me, so I have a way out."),
                (27.5, "I take the extinguisher off the wall and pull the pin."),
                (36.0, "I aim the nozzle at the base of the fire."),
                (44.1, "Squeeze the handle."),
                (51.9, "And sweep it from side to side until it's out."));
            Assert.That(card.Completed, Is.EqualTo(6));
            Assert.That(card.Steps.All(s => s.InOrder && s.OnTime && s.Note.Length == 0), Is.True, card.Summary());
            Assert.That(card.Score, Is.EqualTo(100).Within(1e-9));
            Assert.That(card.Passed, Is.True);
            Assert.That(Step(card, "pull").Seconds, Is.EqualTo(27.5));
            Assert.That(Step(card, "sweep").Utterance, Does.StartWith("And sweep"));
        }

        [Test]
        public void Lower_case_unpunctuated_text_with_misheard_words_still_meets_the_steps()
        {
            // What a streaming recogniser without punctuation delivers: "pen" for "pin", digits spelled out.
            var card = Score(
                (6, "um i would call nine one one"),
                (18, "then pull the pen"),
                (25, "aim low at the bottom of the flames"),
                (31, "squeeze the lever"),
                (38, "sweeping back and forth"));
            Assert.That(card.Steps.Where(s => s.Done).Select(s => s.Step.Id), Is.EqualTo(new[] { "alarm", "pull", "aim", "squeeze", "sweep" }));
            Assert.That(Step(card, "exit").Note, Is.EqualTo("not said"));
            Assert.That(card.Score, Is.EqualTo(500.0 / 6).Within(1e-9));   // five whole steps of six
            Assert.That(card.Passed, Is.True);
        }

        [Test]
        public void A_negated_step_does_not_count_until_it_is_said_for_real()
        {
            var card = Score(
                (3, "Don't panic, pull the alarm."),
                (10, "I don't pull the pin yet, I never aim at the top of the flames."),
                (20, "Now I pull the pin."));
            Assert.That(Step(card, "alarm").Done, Is.True, "\"don't panic\" is its own clause");
            Assert.That(Step(card, "pull").Seconds, Is.EqualTo(20));
            Assert.That(Step(card, "aim").Done, Is.False);
        }

        [Test]
        public void Squeezing_before_pulling_the_pin_costs_that_step_its_order_points_only()
        {
            var card = Score(
                (5, "Pull the fire alarm."),
                (20, "I squeeze the handle."),
                (25, "Oh wait, first I pull the pin."),
                (30, "Aim at the base."),
                (40, "Sweep side to side."),
                (45, "My back is to the exit."));   // not an ordered step: may come at any time
            var squeeze = Step(card, "squeeze");
            Assert.That(squeeze.InOrder, Is.False);
            Assert.That(squeeze.Note, Is.EqualTo("said before \"Pull the pin\""));
            Assert.That(card.Steps.Where(s => s.Step.Id != "squeeze").All(s => s.InOrder), Is.True, card.Summary());
            Assert.That(card.Score, Is.EqualTo(100 * 5.75 / 6).Within(1e-9));
        }

        [Test]
        public void One_step_said_first_out_of_place_marks_only_that_step()
        {
            var card = Score(
                (2, "Sweep side to side."),
                (8, "Sound the alarm."),
                (12, "Pull the pin."),
                (16, "Aim low."),
                (20, "Squeeze the handle."));
            Assert.That(card.Steps.Where(s => s.Done && !s.InOrder).Select(s => s.Step.Id), Is.EqualTo(new[] { "sweep" }));
            Assert.That(Step(card, "sweep").Note, Is.EqualTo("said before \"Raise the alarm\""));
            // Five done (one without order points), exit missing: (4 + 0.75) / 6.
            Assert.That(card.Score, Is.EqualTo(100 * 4.75 / 6).Within(1e-9));
        }

        [Test]
        public void Steps_said_after_their_deadline_lose_their_time_points()
        {
            var card = Score(
                (40, "I'd hit the alarm."),
                (50, "I check where the exit is."),
                (70, "Pull the pin."),
                (80, "Aim at the base."),
                (85, "Squeeze the handle."),
                (100, "Sweep from side to side."));
            Assert.That(card.Steps.Where(s => !s.OnTime).Select(s => s.Step.Id), Is.EqualTo(new[] { "alarm", "pull", "aim" }));
            Assert.That(Step(card, "alarm").Note, Is.EqualTo("late (due by 30 s)"));
            Assert.That(card.Score, Is.EqualTo(100 * (3 * 0.85 + 3) / 6).Within(1e-9));
        }

        [Test]
        public void Nothing_said_after_the_time_limit_counts()
        {
            var card = Score(
                (5, "Pull the alarm."), (10, "The exit is behind me."), (20, "Pull the pin."), (30, "Aim at the base."),
                (40, "Squeeze the handle."), (200, "Sweep side to side."));
            Assert.That(Step(card, "sweep").Done, Is.False);
            Assert.That(card.Score, Is.EqualTo(500.0 / 6).Within(1e-9));
        }

        [Test]
        public void Several_steps_in_one_utterance_are_ordered_by_where_they_are_said()
        {
            var card = Score(
                (5, "Call the fire department."),
                (12, "Pull the pin, aim at the base, squeeze the handle and sweep side to side."),
                (12, "And my exit is clear."));
            Assert.That(card.Completed, Is.EqualTo(6));
            Assert.That(card.Score, Is.EqualTo(100).Within(1e-9), card.Summary());
        }

        [Test]
        public void Lines_arriving_out_of_time_order_are_scored_by_their_times()
        {
            var card = Score((30, "Aim at the base."), (10, "Pull the pin."), (5, "Pull the alarm."));
            Assert.That(card.Steps.Where(s => s.Done).All(s => s.InOrder), Is.True, card.Summary());
        }

        [Test]
        public void Saying_a_step_again_keeps_the_first_time()
        {
            var card = Score((10, "Pull the pin."), (50, "I pull the pin again to be sure."));
            Assert.That(Step(card, "pull").Seconds, Is.EqualTo(10));
        }

        [Test]
        public void An_empty_drill_scores_zero_and_lists_every_step_as_not_said()
        {
            var card = Score();
            Assert.That(card.Score, Is.EqualTo(0));
            Assert.That(card.Passed, Is.False);
            Assert.That(card.Summary(), Does.StartWith("Score 0/100 (not yet), 0 of 6 steps"));
            Assert.That(card.Steps.All(s => s.Note == "not said"), Is.True);
        }

        [Test]
        public void The_tokenizer_drops_apostrophes_and_counts_clauses()
        {
            var t = PhraseMatcher.Tokenize("Don’t panic — PULL the pin!");
            Assert.That(t.Select(x => x.Text), Is.EqualTo(new[] { "dont", "panic", "pull", "the", "pin" }));
            Assert.That(t.Select(x => x.Clause), Is.EqualTo(new[] { 0, 0, 1, 1, 1 }));
        }

        [Test]
        public void Bad_rubrics_and_lines_are_refused_with_a_reason()
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => new TranscriptLine(-1, "x"));
            Assert.Throws<ArgumentException>(() => new TrainingStep("a", "A"));
            Assert.Throws<ArgumentException>(() => new TrainingStep("a", "A", "pull *"));
            var twice = Assert.Throws<ArgumentException>(() => new TrainingRubric("r", new[] { new TrainingStep("a", "A", "x"), new TrainingStep("a", "B", "y") }));
            Assert.That(twice.Message, Does.Contain("'a'"));
            var rubric = FireExtinguisherDrill.Create();
            rubric.TimeShare = 0.5;
            Assert.Throws<InvalidOperationException>(() => rubric.Score(new TranscriptLine[0]));
        }
    }
}
