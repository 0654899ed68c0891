using System;
using Parley.Providers;
using Parley.Session.Tools;

namespace Parley.Session
{
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
    }
}
