using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Parley.Providers;
using Parley.Providers.Auth;
using Parley.Providers.Connection;
using Parley.Providers.Gemini;
using Parley.Providers.OpenAI;
using Parley.Providers.Riva;

namespace Parley.Tests.HostOnly.Faults
{
    /// <summary>What a fault led to, as the session would see it.</summary>
    public sealed class Outcome
    {
        public bool Completed;
        /// <summary>Why the connection (or stage stream) ended, typed; null when it did not end.</summary>
        public ProviderError End;
        /// <summary>Disconnected events (providers), -1 for a stage (it has no event channel).</summary>
        public int Disconnects = -1;
        public readonly List<ProviderError> NonFatal = new List<ProviderError>();
    }

    /// <summary>One provider (or NIM stage) driven through the fault matrix, the same way for every vendor.</summary>
    public abstract class FaultSubject : IDisposable
    {
        public static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);
        public abstract string Name { get; }
        public abstract VendorWire Wire { get; }
        /// <summary>Connects to <paramref name="server"/>; the watchdog uses <paramref name="clock"/> (null = system clock).</summary>
        public abstract Task ConnectAsync(Uri server, IConnectionClock clock, int maxMessageBytes);
        public abstract Task RequestReplyAsync();
        public abstract int ReceivedSamples { get; }
        /// <summary>Waits (bounded) until the reply completed or the connection ended.</summary>
        public abstract Outcome WaitOutcome();
        public abstract void Dispose();
        public override string ToString() => Name;
    }

    /// <summary>A speech-to-speech provider: the outcome is its events.</summary>
    public sealed class ProviderSubject : FaultSubject
    {
        readonly string _name;
        readonly VendorWire _wire;
        readonly Func<Uri, IConnectionClock, int, IVoiceProvider> _create;
        readonly Listener _listener = new Listener();
        IVoiceProvider _provider;

        public ProviderSubject(string name, VendorWire wire, Func<Uri, IConnectionClock, int, IVoiceProvider> create)
        {
            _name = name;
            _wire = wire;
            _create = create;
        }

        public static ProviderSubject OpenAI() => new ProviderSubject("openai", new OpenAIWire(), (uri, clock, max) => new OpenAIRealtimeProvider(new OpenAIRealtimeOptions
        {
            Credentials = new StaticCredential("unit-test-placeholder"),
            FullUrl = new Uri(uri, "v1/realtime?model=gpt-realtime"),
            Clock = clock,
            MaxMessageBytes = max,
        }));

        public static ProviderSubject Gemini() => new ProviderSubject("gemini", new GeminiWire(), (uri, clock, max) => new GeminiLiveProvider(new StaticCredential("unit-test-placeholder"), new GeminiLiveOptions
        {
            Host = uri,
            Clock = clock,
            MaxMessageBytes = max,
        }));

        public override string Name => _name;
        public override VendorWire Wire => _wire;
        public override int ReceivedSamples => _listener.Samples;

        public override Task ConnectAsync(Uri server, IConnectionClock clock, int maxMessageBytes)
        {
            _provider = _create(server, clock, maxMessageBytes);
            return _provider.ConnectAsync(new SessionConfig(), _listener, CancellationToken.None);
        }

        public override Task RequestReplyAsync() => _provider.SendTextAsync("Hello?", CancellationToken.None);

        public override Outcome WaitOutcome()
        {
            var ended = _listener.WaitUntil(l => l.Of<Disconnected>().Any() || l.Of<ResponseDone>().Any(), Bound);
            if (!ended) throw new TimeoutException(_name + ": neither a reply nor an end within " + Bound.TotalSeconds + " s (a hang).");
            // Disposing after the end must not raise a second Disconnected.
            _provider.Dispose();
            var o = new Outcome { Disconnects = _listener.Of<Disconnected>().Count };
            var gone = _listener.Of<Disconnected>().FirstOrDefault();
            o.End = gone?.Error;
            o.Completed = _listener.Of<ResponseDone>().Any(d => d.Status == ResponseStatus.Completed);
            o.NonFatal.AddRange(_listener.Of<ProviderError>().Where(e => !ReferenceEquals(e, o.End)));
            // Disconnected events raised by our own dispose are not the fault's.
            if (gone != null && gone.ByClient) o.Disconnects = 0;
            return o;
        }

        public override void Dispose() => _provider?.Dispose();

        sealed class Listener : IProviderListener
        {
            readonly List<ProviderEvent> _events = new List<ProviderEvent>();
            int _samples;
            public int Samples => Volatile.Read(ref _samples);

            public void OnEvent(ProviderEvent e)
            {
                lock (_events)
                {
                    _events.Add(e);
                    Monitor.PulseAll(_events);
                }
            }

            public void OnAudio(string itemId, ReadOnlySpan<short> pcm) => Interlocked.Add(ref _samples, pcm.Length);

            public List<T> Of<T>() where T : ProviderEvent { lock (_events) return _events.OfType<T>().ToList(); }

            public bool WaitUntil(Func<Listener, bool> done, TimeSpan limit)
            {
                var deadline = DateTime.UtcNow + limit;
                lock (_events)
                {
                    while (!done(this))
                    {
                        var left = deadline - DateTime.UtcNow;
                        if (left <= TimeSpan.Zero) return false;
                        Monitor.Wait(_events, left);
                    }
                    return true;
                }
            }
        }
    }

    /// <summary>The NIM realtime synthesis stream (the cascade's TTS stage): the outcome is how its reply ends.</summary>
    public sealed class NimTtsSubject : FaultSubject, ITtsSink
    {
        readonly NimTtsWire _wire = new NimTtsWire();
        NimRealtimeTts _tts;
        ITtsStream _stream;
        Task _complete;
        int _samples;

        public override string Name => "nim";
        public override VendorWire Wire => _wire;
        public override int ReceivedSamples => Volatile.Read(ref _samples);

        public override async Task ConnectAsync(Uri server, IConnectionClock clock, int maxMessageBytes)
        {
            _tts = new NimRealtimeTts(new NimRealtimeOptions { BaseUri = server, Clock = clock, MaxMessageBytes = maxMessageBytes });
            _stream = await _tts.OpenAsync(this, CancellationToken.None).ConfigureAwait(false);
        }

        public override async Task RequestReplyAsync()
        {
            await _stream.SpeakAsync("Hello there.", CancellationToken.None).ConfigureAwait(false);
            _complete = _stream.CompleteAsync(CancellationToken.None);
        }

        public override Outcome WaitOutcome()
        {
            var complete = _complete ?? _stream.CompleteAsync(CancellationToken.None);
            var o = new Outcome();
            try
            {
                if (!complete.Wait(Bound)) throw new TimeoutException("nim: the synthesis neither completed nor failed within " + Bound.TotalSeconds + " s (a hang).");
                o.Completed = true;
            }
            catch (AggregateException e) when (e.InnerException is ProviderException pe)
            {
                o.End = ConnectionErrors.FromException(pe, true);
            }
            return o;
        }

        public void OnAudio(ReadOnlySpan<short> pcm) => Interlocked.Add(ref _samples, pcm.Length);
        public void OnPhraseDone() { }

        public override void Dispose()
        {
            _stream?.Dispose();
            _tts?.Dispose();
        }
    }
}
