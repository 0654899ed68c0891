using System;
using System.Collections.Generic;

namespace Parley.Providers.Gemini
{
    /// <summary>Where one base64 audio payload sits in the received bytes (decoded later, straight into PCM).</summary>
    public struct AudioPayload
    {
        public int Start;
        public int Length;
        public bool Escaped;
        public int SampleRate;
    }

    public struct FunctionCall
    {
        public string Id;
        public string Name;
        public string ArgumentsJson;
    }

    /// <summary>
    /// One parsed <c>BidiGenerateContentServerMessage</c>. Reused for every message (cleared by the reader), so
    /// steady-state audio frames allocate nothing here.
    /// </summary>
    public sealed class GeminiServerMessage
    {
        public bool SetupComplete;
        public string SessionId;

        public bool HasServerContent;
        public bool HasModelTurn;
        public readonly List<AudioPayload> Audio = new List<AudioPayload>();
        public readonly List<string> TextParts = new List<string>();
        public bool TurnComplete;
        public bool Interrupted;
        public bool GenerationComplete;
        public bool WaitingForInput;
        public string TurnCompleteReason;
        public string InputTranscription;
        public string OutputTranscription;

        public readonly List<FunctionCall> FunctionCalls = new List<FunctionCall>();
        public bool HasToolCallCancellation;
        public readonly List<string> CancelledCallIds = new List<string>();

        public bool HasGoAway;
        public TimeSpan GoAwayTimeLeft;

        public bool HasResumptionUpdate;
        public string NewHandle;
        public bool Resumable;

        public bool HasUsage;
        public TokenUsage Usage;

        /// <summary>Top-level keys this client does not know (new server features); counted, not an error.</summary>
        public int UnknownFields;

        public void Clear()
        {
            SetupComplete = false;
            SessionId = null;
            HasServerContent = HasModelTurn = false;
            Audio.Clear();
            TextParts.Clear();
            TurnComplete = Interrupted = GenerationComplete = WaitingForInput = false;
            TurnCompleteReason = InputTranscription = OutputTranscription = null;
            FunctionCalls.Clear();
            HasToolCallCancellation = false;
            CancelledCallIds.Clear();
            HasGoAway = false;
            GoAwayTimeLeft = TimeSpan.Zero;
            HasResumptionUpdate = false;
            NewHandle = null;
            Resumable = false;
            HasUsage = false;
            Usage = default;
            UnknownFields = 0;
        }
    }
}
