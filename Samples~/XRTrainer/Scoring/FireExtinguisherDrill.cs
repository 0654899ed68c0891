namespace Parley.Samples.XRTrainer.Scoring
{
    /// <summary>
    /// The sample's scripted scenario: a wastebasket fire in a break room. The trainee talks the instructor through
    /// raising the alarm, checking the way out, and the P.A.S.S. technique (pull, aim, squeeze, sweep). Cues accept
    /// the usual ways of saying each step and what recognisers commonly hear instead ("pull the pen").
    /// </summary>
    public static class FireExtinguisherDrill
    {
        public const string Briefing =
            "A wastebasket in the break room has caught fire. The flames are knee high. There is a fire extinguisher on the wall " +
            "next to you. Tell me, step by step, what you do.";

        /// <summary>Instructions for the voice agent playing the instructor.</summary>
        public const string InstructorInstructions =
            "You are a calm fire-safety instructor running a spoken drill. Start by reading this briefing: \"" + Briefing + "\" " +
            "Then let the trainee talk. After each thing they say they do, describe briefly what happens in the room " +
            "(one or two sentences) and ask what they do next. Never name a step they have not said yet and never give " +
            "the answer. If they stop, say the fire is still burning and ask what they do now. When the fire is out, say so.";

        public static TrainingRubric Create() => new TrainingRubric("Fire extinguisher drill", new[]
        {
            new TrainingStep("alarm", "Raise the alarm",
                "pull|sound|raise|hit|trigger|activate|set+off alarm",
                "call 911|nine+one+one|112|999|emergency|fire+department|fire+brigade",
                "shout|yell|scream fire")
            { DeadlineSeconds = 30 },
            new TrainingStep("exit", "Check your way out",
                "exit|escape|way+out|door behind|clear|check*|near*|located|know|keep|see",
                "back|backs to|toward|towards the|my exit|door")
            { Ordered = false, DeadlineSeconds = 60 },
            new TrainingStep("pull", "Pull the pin",
                "pull*|remove*|take+out|yank*|twist* pin|pen|pins|safety+pin|seal")
            { DeadlineSeconds = 60 },
            new TrainingStep("aim", "Aim at the base of the fire",
                "aim*|point*|direct* base|bottom|low|lower|root*")
            { DeadlineSeconds = 75 },
            new TrainingStep("squeeze", "Squeeze the handle",
                "squeez*|press*|pull*|push* handle|handles|lever|trigger")
            { DeadlineSeconds = 90 },
            new TrainingStep("sweep", "Sweep side to side",
                "sweep*|swipe*",
                "move*|wave*|swing* side+to+side|sides|across|back+and+forth")
            { DeadlineSeconds = 105 },
        })
        { TimeLimitSeconds = 180 };
    }
}
