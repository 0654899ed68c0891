using System;
using System.Collections.Generic;

namespace Parley.Servers.OpenAI
{
    /// <summary>Failure a test can script into the emulator.</summary>
    public enum EmulatorFault
    {
        None,
        /// <summary>Abort the TCP connection after a few audio chunks of the first reply.</summary>
        DropMidReply,
        /// <summary>Stop sending anything after a few audio chunks of the first reply (connection stays open).</summary>
        StallMidReply,
        /// <summary>Send one frame that is not JSON after a few audio chunks, then carry on.</summary>
        MalformedJsonMidReply,
        /// <summary>Close with 1011 (server error) after a few audio chunks.</summary>
        Close1011MidReply,
        /// <summary>Close with 1007 right after session.update (invalid payload).</summary>
        Close1007OnSessionUpdate,
        /// <summary>Answer every response request with rate_limits.updated (0 remaining) and a rate_limit_exceeded error.</summary>
        RateLimitResponses,
    }

    public sealed class OpenAIRealtimeEmulatorOptions
    {
        /// <summary>Validate every client frame against client-events.schema.json and answer invalid ones with an error event.</summary>
        public bool Strict = true;
        /// <summary>Validate every frame the emulator sends against server-events.schema.json (violations are recorded).</summary>
        public bool ValidateOutgoing = true;
        /// <summary>When set, the Bearer header or `openai-insecure-api-key.` subprotocol must carry exactly this (else HTTP 401).</summary>
        public string ExpectedKey;
        /// <summary>
        /// When set, decides which keys the upgrade accepts instead of <see cref="ExpectedKey"/> (ephemeral client
        /// secrets that expire: a refused one gets HTTP 401 as an unknown key does).
        /// </summary>
        public Func<string, bool> AcceptKey;
        /// <summary>Refuse every upgrade with this HTTP status (401, 429, 500…); 0 = accept.</summary>
        public int RejectUpgradeStatus;
        /// <summary>1 = real time, 4 = four times faster, 0 = as fast as the socket allows.</summary>
        public double PlaybackSpeed;
        /// <summary>Audio per output_audio.delta (100 ms = 6.4 KB of base64).</summary>
        public int ChunkMs = 100;
        /// <summary>Ids of bundled replies, used in turn: npc-greeting, npc-price, npc-quest, trainer-answer.</summary>
        public string[] Replies = { "npc-greeting", "npc-price", "npc-quest", "trainer-answer" };
        /// <summary>Energy VAD threshold on 10 ms frames (the test WAVs have a −60 dBFS noise floor).</summary>
        public double VadThresholdDbfs = -42;
        /// <summary>Consecutive loud frames (10 ms) before speech_started.</summary>
        public int VadStartFrames = 3;
        /// <summary>Transcripts of the player's turns, in order (the emulator has no ASR); "(speech)" after the list ends.</summary>
        public string[] UserTranscripts = new string[0];
        /// <summary>
        /// Tool rule: if the session declares tools, the reply to user turn number <see cref="ToolCallOnTurn"/> (1-based;
        /// audio or text turns), or to a text message containing <see cref="ToolKeyword"/>, is a function call to
        /// <see cref="ToolName"/> (default: the first declared tool) with <see cref="ToolArgumentsJson"/>.
        /// </summary>
        public int ToolCallOnTurn;
        public string ToolKeyword;
        public string ToolName;
        public string ToolArgumentsJson = "{}";
        /// <summary>The function-call response also speaks a short filler reply after the call, so it stays active a while.</summary>
        public bool SpeakAfterToolCall;
        public EmulatorFault Fault;
        /// <summary>How many times the fault fires across all connections (0 = once on every connection).</summary>
        public int FaultLimit;
        internal int FaultsFired;
        /// <summary>Audio chunks sent before a mid-reply fault fires.</summary>
        public int FaultAfterChunks = 3;
        /// <summary>
        /// An explicit gate for tests that need a reply still in flight (a barge-in, an interrupt): each reply stops
        /// after this many audio chunks until <see cref="ReleaseReply"/> is released or the response is cancelled
        /// (0 = never holds). Real-time pacing alone lets a loaded test thread arrive after the reply has ended.
        /// </summary>
        public int HoldReplyAfterChunks;
        public readonly System.Threading.SemaphoreSlim ReleaseReply = new System.Threading.SemaphoreSlim(0);
        /// <summary>Where the schemas and speech live; defaults to the files next to the emulator / package fixtures.</summary>
        public string SchemaDirectory;
        public string SpeechDirectory;
        /// <summary>Reply texts by clip id (from texts.csv), used as output transcripts.</summary>
        public Dictionary<string, string> ReplyTexts;
    }
}
