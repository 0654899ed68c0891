using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using NUnit.Framework;
using Parley.Providers;
using Parley.Providers.Auth;
using Parley.Providers.OpenAI;
using Parley.Servers.OpenAI;
using Parley.Session;
using Parley.Tests.Session.Support;

namespace Parley.Tests.HostOnly.Session
{
    /// <summary>
    /// Issue 10's fault "an ephemeral token expired by the time of a reconnect": the emulator accepts only the client
    /// secrets minted and not yet expired (HTTP 401 otherwise, as for an unknown key); the socket is reset mid-reply and,
    /// while the reconnect is held, every token minted so far expires. The token source must be asked again, once.
    /// </summary>
    public class ExpiredTokenReconnectTests
    {
        static readonly TimeSpan T = SessionEventRecorder.T;

        /// <summary>A game backend's token endpoint and the server's view of which secrets are live.</summary>
        sealed class EphemeralTokens
        {
            readonly ConcurrentDictionary<string, bool> _live = new ConcurrentDictionary<string, bool>();
            int _minted;
            public int Requests;
            public readonly bool MintsNew;

            public EphemeralTokens(bool mintsNew) { MintsNew = mintsNew; }

            public ICredentialSource Source => new DelegateCredential(ct =>
            {
                Interlocked.Increment(ref Requests);
                // A backend that hands out a cached secret keeps returning the first one.
                var first = Interlocked.CompareExchange(ref _minted, 1, 0) == 0;
                var n = MintsNew ? (first ? 1 : Interlocked.Increment(ref _minted)) : 1;
                var token = "ek_test_" + n;
                if (MintsNew || first) _live.TryAdd(token, true);
                return Task.FromResult(new Credential(token));
            });

            public bool Accepts(string key) => _live.ContainsKey(key);
            public void ExpireAll() => _live.Clear();
        }

        static (VoiceSession session, SessionEventRecorder rec, HeldReconnects outage) StartAndDropMidReply(OpenAIRealtimeEmulator emulator, EphemeralTokens tokens)
        {
            var outage = new HeldReconnects(() => new OpenAIRealtimeProvider(new OpenAIRealtimeOptions { Credentials = tokens.Source, BaseUrl = emulator.Uri.ToString() }));
            var options = new VoiceSessionOptions { RandomSeed = 5 };
            options.Reconnect.InitialDelay = TimeSpan.FromMilliseconds(50);
            var rec = new SessionEventRecorder();
            var s = new VoiceSession(outage.Make, options, new InlineDispatcher(), new FakeSpeaker(24000));
            s.EventRaised += rec.Add;
            Assert.That(s.StartAsync(CancellationToken.None).Wait(T), Is.True);
            s.SendTextAsync("Hello?", CancellationToken.None).Wait(T);
            Assert.That(rec.WaitFor(r => r.Of<ReconnectingEvent>().Count == 1, s), Is.True, rec.Names());
            return (s, rec, outage);
        }

        static OpenAIRealtimeEmulator Emulator(EphemeralTokens tokens) => OpenAIRealtimeEmulator.StartAsync(new OpenAIRealtimeEmulatorOptions
        {
            AcceptKey = tokens.Accepts, Fault = EmulatorFault.DropMidReply, FaultLimit = 1, FaultAfterChunks = 3,
        }).WaitAsync(T).GetAwaiter().GetResult();

        [Test]
        public void A_reconnect_asks_the_token_source_again_once_and_connects_with_the_fresh_secret()
        {
            var tokens = new EphemeralTokens(mintsNew: true);
            var emulator = Emulator(tokens);
            try
            {
                var (s, rec, outage) = StartAndDropMidReply(emulator, tokens);
                using (s)
                {
                    tokens.ExpireAll(); // the first secret expires during the outage
                    outage.Release();
                    Assert.That(rec.WaitFor(r => r.Of<ReconnectedEvent>().Count == 1, s), Is.True, rec.Names());

                    Assert.That(tokens.Requests, Is.EqualTo(2), "asked at the start and once for the reconnect");
                    Assert.That(emulator.Unauthorized, Is.EqualTo(0), "the expired secret was never presented");
                    Assert.That(emulator.Connections, Is.EqualTo(2));
                    Assert.That(s.Metrics.Reconnects, Is.EqualTo(1));
                    Assert.That(rec.Of<SessionErrorEvent>().Select(e => e.Kind), Is.EqualTo(new[] { ProviderErrorKind.Transport }), "only the drop");
                    Assert.That(rec.Of<Closed>(), Is.Empty);
                    Assert.That(s.State, Is.Not.EqualTo(SessionState.Closed));
                }
                foreach (var g in outage.Guards) Assert.That(g.Violations, Is.Empty);

                // Control: the expiry is real. The first secret, presented now, is refused at the upgrade.
                var stale = new OpenAIRealtimeProvider(new OpenAIRealtimeOptions { Credentials = new StaticCredential("ek_test_1"), BaseUrl = emulator.Uri.ToString() });
                var refused = Assert.Throws<ProviderException>(() =>
                    stale.ConnectAsync(new SessionConfig(), new Parley.Tests.HostOnly.OpenAI.RecordingListener(), CancellationToken.None).WaitAsync(T).GetAwaiter().GetResult());
                Assert.That(refused.Kind, Is.EqualTo(ProviderErrorKind.Authentication));
                stale.Dispose();
            }
            finally
            {
                emulator.DisposeAsync().AsTask().Wait(T);
            }
        }

        [Test]
        public void A_token_source_that_returns_the_expired_secret_closes_the_session_after_one_refused_attempt()
        {
            var tokens = new EphemeralTokens(mintsNew: false);
            var emulator = Emulator(tokens);
            try
            {
                var (s, rec, outage) = StartAndDropMidReply(emulator, tokens);
                using (s)
                {
                    tokens.ExpireAll();
                    outage.Release();
                    Assert.That(rec.WaitFor(r => r.Of<Closed>().Count == 1, s), Is.True, rec.Names());

                    var closed = rec.Of<Closed>().Single();
                    Assert.That(closed.Kind, Is.EqualTo(CloseReason.ProviderRefused), "a new connection would be refused the same way");
                    Assert.That(closed.ErrorKind, Is.EqualTo(ProviderErrorKind.Authentication));
                    Assert.That(tokens.Requests, Is.EqualTo(2), "asked once for the reconnect, not in a loop");
                    Assert.That(emulator.Unauthorized, Is.EqualTo(1));
                    Assert.That(emulator.Connections, Is.EqualTo(1));
                    var last = rec.Of<SessionErrorEvent>().Last();
                    Assert.That(last.Kind, Is.EqualTo(ProviderErrorKind.Authentication));
                    Assert.That(last.Recovery, Is.EqualTo(ErrorRecovery.Closing));
                    Assert.That(last.IsFatal, Is.True);
                    Assert.That(rec.Of<SessionErrorEvent>().Take(rec.Of<SessionErrorEvent>().Count - 1).All(e => !e.IsFatal), Is.True, "only the last error is terminal");
                }
            }
            finally
            {
                emulator.DisposeAsync().AsTask().Wait(T);
            }
        }
    }
}
