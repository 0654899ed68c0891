using System;
using System.Collections.Generic;
using Parley.Session;
using Parley.Tests.Support;

namespace Parley.Tests.Session.Support
{
    /// <summary>A session wired to a scripted provider, a fake speaker and a manual clock, recording its events.</summary>
    public sealed class SessionFixture : IDisposable
    {
        public readonly ScriptedServer Server = new ScriptedServer();
        public readonly FakeSpeaker Speaker = new FakeSpeaker(24000);
        public readonly ManualClock Clock = new ManualClock();
        public readonly List<SessionEvent> Events = new List<SessionEvent>();
        public readonly VoiceSessionOptions Options = new VoiceSessionOptions { RandomSeed = 7 };
        public VoiceSession Session;

        public SessionFixture()
        {
            Options.Reconnect.InitialDelay = TimeSpan.FromMilliseconds(5);
            Options.Reconnect.MaxDelay = TimeSpan.FromMilliseconds(20);
        }

        public VoiceSession Start()
        {
            Session = new VoiceSession(Server.Create, Options, new InlineDispatcher(), Speaker, null, Clock);
            Session.EventRaised += e => { lock (Events) Events.Add(e); };
            Session.StartAsync(System.Threading.CancellationToken.None).Wait(TimeSpan.FromSeconds(10));
            return Session;
        }

        public ScriptedProvider Provider => Server.Current;

        public List<T> Of<T>() where T : SessionEvent
        {
            var list = new List<T>();
            lock (Events) foreach (var e in Events) if (e is T t) list.Add(t);
            return list;
        }

        public List<SessionState> States()
        {
            var list = new List<SessionState>();
            foreach (var s in Of<StateChanged>()) list.Add(s.To);
            return list;
        }

        /// <summary>A real speech clip at 24 kHz as PCM16.</summary>
        public static short[] Speech(string id)
        {
            var clip = TestWav.Speech(id, 24000);
            var pcm = new short[clip.Samples.Length];
            for (var i = 0; i < pcm.Length; i++) pcm[i] = (short)Math.Max(-32768, Math.Min(32767, Math.Round(clip.Samples[i] * 32768.0)));
            return pcm;
        }

        public void Dispose() => Session?.Dispose();
    }
}
