using System;
using Parley.Providers;
using Parley.Session.Tools;

namespace Parley.Session
{
    /// <summary>Who drains the session's queue (see Documentation~/session.md, "The session is an actor").</summary>
    public enum SessionLoop
    {
        /// <summary>A thread of the session's own drains it (Unity on desktop/mobile/consoles, the CLI).</summary>
        Background,
        /// <summary>
        /// No threads of its own: whoever posts drains (one at a time, never re-entrant), and
        /// <see cref="VoiceSession.Tick"/>/<see cref="VoiceSession.RunPending"/> run what other threads posted and
        /// the timers. For WebGL (no threads) and deterministic tests.
        /// </summary>
        Inline,
    }

    public sealed class VoiceSessionOptions
    {
        /// <summary>Model, voice, instructions and turn-detection tunables. Tools and turn mode are filled in by the session.</summary>
        public SessionConfig Config = new SessionConfig();
        public TurnTaking TurnTaking = TurnTaking.ServerVad;
        /// <summary>Let the player talk over the agent (only where the provider is full duplex).</summary>
        public bool BargeIn = true;
        public ToolRegistry Tools = new ToolRegistry();
        public ReconnectPolicy Reconnect = new ReconnectPolicy();
        public TimeSpan ConnectTimeout = TimeSpan.FromSeconds(15);
        /// <summary>Player audio sent per provider call, in ms.</summary>
        public int SendChunkMs = 40;
        /// <summary>Seed for reconnect jitter (tests); 0 = time-based.</summary>
        public int RandomSeed;
        public SessionLoop Loop = SessionLoop.Background;
        /// <summary>Items of heard history kept (replayed on a fresh reconnect); the oldest are dropped beyond it.</summary>
        public int MaxHistoryItems = 200;
        /// <summary>Longest a control call to the provider (turn signals, text, interrupt, tool result, disconnect) may take.</summary>
        public TimeSpan ControlCallTimeout = TimeSpan.FromSeconds(10);
    }
}
