using System;
using System.Collections.Generic;
using NUnit.Framework;
using Parley.Session;
using Parley.Tests.Support;

namespace Parley.Tests.Session.Support
{
    /// <summary>
    /// A session wired to a scripted provider (behind the overlap guard), a fake speaker and a manual clock,
    /// recording its events. The session runs Inline, so each provider event and host call has run when the
    /// call returns. On dispose it fails the test if any two control calls overlapped or the session tried a
    /// state change outside <see cref="SessionTransitions"/>.
    /// </summary>
    public sealed class SessionFixture : IDisposable
    {
        public readonly ScriptedServer Server = new ScriptedServer();
        public readonly FakeSpeaker Speaker = new FakeSpeaker(24000);
        public readonly ManualClock Clock = new ManualClock();
        public readonly List<SessionEvent> Events = new List<SessionEvent>();
        public readonly VoiceSessionOptions Options = new VoiceSessionOptions { RandomSeed = 7, Loop = SessionLoop.Inline };
        public VoiceSession Session;

        public SessionFixture()
        {
            // Back-off runs on the session clock (a manual clock here): no delay unless a test sets one and advances.
            Options.Reconnect.InitialDelay = TimeSpan.Zero;
            Options.Reconnect.MaxDelay = TimeSpan.Zero;
        }

        public VoiceSession Start()
        {
            Session = new VoiceSession(Server.Create, Options, new InlineDispatcher(), Speaker, null, Clock);
            Session.EventRaised += e => { lock (Events) Events.Add(e); };
            Server.Settle = Session.RunPending;
            Assert.That(Session.StartAsync(System.Threading.CancellationToken.None).Wait(TimeSpan.FromSeconds(10)), Is.True, "started");
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

        public void Dispose()
        {
            Session?.Dispose();
            Assert.That(Server.Overlaps(), Is.Empty, "control calls to a provider overlapped");
            if (Session != null) Assert.That(Session.RefusedTransitions, Is.EqualTo(0), "a state change outside SessionTransitions was attempted");
            foreach (var e in Of<StateChanged>())
                Assert.That(SessionTransitions.IsAllowed(e.From, e.To), Is.True, e.From + " → " + e.To);
        }
    }
}
