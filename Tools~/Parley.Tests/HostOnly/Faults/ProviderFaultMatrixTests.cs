using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using NUnit.Framework;
using Parley.Providers;
using Parley.Providers.Connection;

namespace Parley.Tests.HostOnly.Faults
{
    /// <summary>
    /// The provider-level fault matrix (issue 10, item 5) over real loopback sockets: each WebSocket provider (OpenAI
    /// Realtime, Gemini Live, the NIM realtime synthesis stream) against a server that speaks its wire and breaks it in
    /// one way at a known point. Each case: the typed outcome, in bounded time (no hang), no crash, and for providers
    /// exactly one Disconnected. Gates, not sleeps: the test acts when the server says the fault happened, and the
    /// stall watchdog runs on a hand-moved clock. Expected kinds are the rows of Documentation~/reliability.md.
    /// </summary>
    [TestFixture]
    public class ProviderFaultMatrixTests
    {
        const int MaxMessageBytes = 32 * 1024;
        const int OversizedPcmBytes = 64 * 1024;
        static readonly TimeSpan Bound = FaultSubject.Bound;
        static readonly string[] Providers = { "openai", "gemini", "nim" };

        /// <summary>What the session must see.</summary>
        public sealed class Expect
        {
            public bool Completed;
            public ProviderErrorKind? Kind;
            public string Code;
            public bool Recoverable;
            /// <summary>A non-fatal error reported on the way (the reply still completes).</summary>
            public string NonFatalCode;

            public override string ToString() =>
                Completed ? "completes" + (NonFatalCode != null ? " + " + NonFatalCode : "") : Kind + " " + Code + (Recoverable ? " (recoverable)" : " (fatal)");
        }

        static Expect Ends(ProviderErrorKind kind, string code, bool recoverable) => new Expect { Kind = kind, Code = code, Recoverable = recoverable };
        static Expect Completes(string nonFatal = null) => new Expect { Completed = true, NonFatalCode = nonFatal };

        /// <summary>Close code, the reason a real server would give, and the error-table row (RFC 6455 §7.4.1).</summary>
        static readonly (int Code, string Reason, ProviderErrorKind Kind, string ErrorCode, bool Recoverable)[] CloseCodes =
        {
            (1000, "", ProviderErrorKind.Transport, "1000", true),
            (1001, "going away", ProviderErrorKind.Transport, "1001", true),
            (1007, "Request contains an invalid argument.", ProviderErrorKind.InvalidRequest, "1007", false),
            (1008, "API key not valid. Please pass a valid API key.", ProviderErrorKind.Authentication, "1008", false),
            (1009, "message too big", ProviderErrorKind.InvalidRequest, "1009", false),
            (1011, "Internal error encountered.", ProviderErrorKind.Server, "1011", true),
            (1013, "try again later", ProviderErrorKind.Server, "1013", true),
            (4000, "invalid_request_error.beta_api_shape_disabled", ProviderErrorKind.InvalidRequest, "beta_api_shape_disabled", false),
        };

        public static IEnumerable<TestCaseData> Matrix()
        {
            foreach (var p in Providers)
            {
                yield return Case(p, Fault.None, Completes());
                yield return Case(p, Fault.DropMidReply, Ends(ProviderErrorKind.Transport, "connection_lost", true));
                yield return Case(p, Fault.DropWhileIdle, Ends(ProviderErrorKind.Transport, null, true));
                yield return Case(p, Fault.SilentMidReply, Ends(ProviderErrorKind.Stalled, "stalled", true));
                // A speech-to-speech session skips the bad event and goes on; a synthesis stream cannot trust the rest.
                yield return Case(p, Fault.MalformedJsonMidReply, p == "nim"
                    ? Ends(ProviderErrorKind.Protocol, "malformed_json", true)
                    : Completes("malformed_json"));
                yield return Case(p, Fault.OversizedFrameMidReply, Ends(ProviderErrorKind.Protocol, "message_too_large", true));
                yield return Case(p, Fault.UnknownEventMidReply, Completes());
                yield return Case(p, Fault.SlowerThanRealTime, Completes());
                foreach (var c in CloseCodes)
                    yield return new TestCaseData(p, Fault.CloseMidReply, c.Code, c.Reason, Ends(c.Kind, c.ErrorCode, c.Recoverable))
                        .SetName(p + ": close " + c.Code + " mid-reply → " + c.Kind + " " + c.ErrorCode);
            }
        }

        static TestCaseData Case(string provider, Fault fault, Expect expect) =>
            new TestCaseData(provider, fault, 0, null, expect).SetName(provider + ": " + fault + " → " + expect);

        static FaultSubject Subject(string provider) =>
            provider == "openai" ? ProviderSubject.OpenAI() : provider == "gemini" ? (FaultSubject)ProviderSubject.Gemini() : new NimTtsSubject();

        [TestCaseSource(nameof(Matrix))]
        public void Fault_gives_its_typed_outcome_in_bounded_time(string provider, Fault fault, int closeCode, string closeReason, Expect expect)
        {
            // The slow server runs on the real clock (each gap is far inside the 10 s setting); every other case on a
            // clock only the test moves, so load can neither cause nor hide a stall.
            var clock = fault == Fault.SlowerThanRealTime ? null : new ManualConnectionClock();
            using (var subject = Subject(provider))
            {
                var server = Run(FaultServer.StartAsync(subject.Wire, fault, closeCode, closeReason, oversizedBytes: OversizedPcmBytes));
                try
                {
                    Assert.That(subject.ConnectAsync(server.Uri, clock, MaxMessageBytes).Wait(Bound), Is.True, "connect");
                    if (fault == Fault.DropWhileIdle)
                    {
                        Assert.That(server.FaultApplied.Wait(Bound), Is.True, "the server is idle");
                        server.Go.Release();
                    }
                    else Assert.That(subject.RequestReplyAsync().Wait(Bound), Is.True, "the reply request");

                    if (fault == Fault.SilentMidReply)
                    {
                        Assert.That(server.FaultApplied.Wait(Bound), Is.True, "the server went silent");
                        var chunk = subject.Wire.SamplesPer100Ms;
                        WaitUntil(() => subject.ReceivedSamples >= FaultServer.ChunksBeforeFault * chunk, "the audio sent before the silence");
                        // The default setting (10 s) on the hand-moved clock: detected at exactly the setting, no wall wait.
                        clock.Advance(TimeSpan.FromSeconds(10));
                    }

                    var o = subject.WaitOutcome();
                    if (expect.Completed)
                    {
                        Assert.That(o.End, Is.Null, "ended: " + o.End);
                        Assert.That(o.Completed, Is.True);
                        var chunks = fault == Fault.SlowerThanRealTime ? 10 : 6;
                        Assert.That(subject.ReceivedSamples, Is.EqualTo(chunks * subject.Wire.SamplesPer100Ms), "every sample of the reply");
                        if (expect.NonFatalCode == null) Assert.That(o.NonFatal, Is.Empty);
                        else
                        {
                            Assert.That(o.NonFatal.Select(e => e.Code), Is.EqualTo(new[] { expect.NonFatalCode }));
                            Assert.That(o.NonFatal[0].ErrorKind, Is.EqualTo(ProviderErrorKind.Protocol));
                            Assert.That(o.NonFatal[0].IsFatal, Is.False);
                        }
                    }
                    else
                    {
                        Assert.That(o.Completed, Is.False);
                        Assert.That(o.End, Is.Not.Null, "no typed end");
                        Assert.That(o.End.ErrorKind, Is.EqualTo(expect.Kind));
                        if (expect.Code != null) Assert.That(o.End.Code, Is.EqualTo(expect.Code));
                        Assert.That(o.End.Recoverable, Is.EqualTo(expect.Recoverable));
                        if (o.Disconnects >= 0) Assert.That(o.Disconnects, Is.EqualTo(1), "exactly one Disconnected");
                    }
                }
                finally
                {
                    Run(server.DisposeAsync().AsTask());
                }
            }
        }

        public static IEnumerable<TestCaseData> Rejections()
        {
            var rows = new[] { (401, ProviderErrorKind.Authentication), (403, ProviderErrorKind.Authentication), (429, ProviderErrorKind.RateLimited), (404, ProviderErrorKind.InvalidRequest), (503, ProviderErrorKind.Server) };
            foreach (var p in Providers)
                foreach (var (status, kind) in rows)
                    yield return new TestCaseData(p, status, kind).SetName(p + ": HTTP " + status + " at the upgrade → " + kind);
        }

        [TestCaseSource(nameof(Rejections))]
        public void A_refused_upgrade_fails_connect_with_the_tables_kind(string provider, int status, ProviderErrorKind kind)
        {
            using (var subject = Subject(provider))
            {
                var server = Run(FaultServer.StartAsync(subject.Wire, Fault.None, rejectStatus: status));
                try
                {
                    var connect = subject.ConnectAsync(server.Uri, new ManualConnectionClock(), MaxMessageBytes);
                    var e = Assert.Throws<AggregateException>(() => connect.Wait(Bound)).InnerException as ProviderException;
                    Assert.That(e, Is.Not.Null);
                    Assert.That(e.Kind, Is.EqualTo(kind));
                    Assert.That(e.Code, Is.EqualTo(status.ToString()));
                    Assert.That(ConnectionErrors.IsRecoverable(e.Kind), Is.EqualTo(status == 429 || status >= 500));
                }
                finally
                {
                    Run(server.DisposeAsync().AsTask());
                }
            }
        }

        static T Run<T>(System.Threading.Tasks.Task<T> t)
        {
            if (!t.Wait(Bound)) throw new TimeoutException("timed out");
            return t.Result;
        }

        static void Run(System.Threading.Tasks.Task t)
        {
            if (!t.Wait(Bound)) throw new TimeoutException("timed out");
        }

        static void WaitUntil(Func<bool> condition, string what)
        {
            var deadline = DateTime.UtcNow + Bound;
            while (!condition())
            {
                if (DateTime.UtcNow > deadline) throw new TimeoutException("Timed out waiting for " + what + ".");
                Thread.Sleep(2);
            }
        }
    }
}
