using System;
using System.Collections.Generic;
using System.Text;
using System.Threading;
using Parley.Providers;
using Parley.Providers.Auth;
using Parley.Providers.Connection;
using Parley.Providers.Gemini;

namespace Parley.Fuzz
{
    /// <summary>
    /// Gemini Live server messages as the provider handles them (turn bookkeeping, transcripts, audio, tool calls,
    /// resumption handles, goAway, usage), through a connected <see cref="GeminiLiveProvider"/> on a
    /// <see cref="PumpTransport"/>; every 16th input is instead the answer to <c>setup</c> of a fresh connection.
    /// Allowed: provider events, including typed <see cref="ProviderError"/>s, and a refused setup
    /// (<see cref="ProviderException"/>). A finding: an internal exception that the receive loop had to catch
    /// (reported as <c>handler_failed</c>), audio outside a started response, a tool call without the id and name its
    /// answer needs, or a loop that stops asking for messages.
    /// </summary>
    public sealed class GeminiEventsTarget : FuzzTarget
    {
        static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
        static readonly byte[] SetupComplete = Utf8("{\"setupComplete\":{}}");
        // goAway is reported once per connection: a fresh one now and then reaches that path again.
        const int InputsPerConnection = 64;

        Listener _listener;
        GeminiLiveProvider _provider;
        PumpTransport _wire;
        long _count;
        int _delivered;

        public override string Name => "gemini-events";
        public override string Decoder => "GeminiLiveProvider receive path (every server message) and setup answer";
        public override string TypedErrors => "ProviderError events other than handler_failed; ProviderException from ConnectAsync";
        public override bool IsTypedError(Exception e) => e is ProviderException;

        public override IEnumerable<byte[]> Seeds(SeedFiles files)
        {
            // The recordings, the SDK capture and the decoder target's extra shapes, then the loopback scenarios' messages.
            foreach (var m in new GeminiMessageTarget().Seeds(files)) yield return m;
            yield return Utf8("{\"serverContent\":{\"inputTranscription\":{\"text\":\"tell me a story\"}}}");
            yield return Utf8("{\"serverContent\":{\"outputTranscription\":{\"text\":\"Once upon a\"}}}");
            yield return Utf8("{\"serverContent\":{\"modelTurn\":{\"parts\":[{\"inlineData\":{\"mimeType\":\"audio/pcm;rate=16000\",\"data\":\"AQIDBA==\"}}]}}}");
            yield return Utf8("{\"serverContent\":{\"interrupted\":true}}");
            yield return Utf8("{\"serverContent\":{\"generationComplete\":true}}");
            yield return Utf8("{\"serverContent\":{\"turnComplete\":true}}");
            yield return Utf8("{\"serverContent\":{\"turnComplete\":true},\"usageMetadata\":{\"promptTokenCount\":120,\"responseTokenCount\":40,\"totalTokenCount\":160,\"promptTokensDetails\":[{\"modality\":\"AUDIO\",\"tokenCount\":100},{\"modality\":\"TEXT\",\"tokenCount\":20}],\"responseTokensDetails\":[{\"modality\":\"AUDIO\",\"tokenCount\":40}]}}");
            yield return Utf8("{\"toolCall\":{\"functionCalls\":[{\"name\":\"open_door\",\"args\":{\"door\":\"north\"},\"id\":\"function-call-1\"},{\"name\":\"ring_bell\",\"args\":{},\"id\":\"function-call-2\"}]}}");
            yield return Utf8("{\"toolCallCancellation\":{\"ids\":[\"function-call-2\"]}}");
            yield return Utf8("{\"sessionResumptionUpdate\":{\"newHandle\":\"\",\"resumable\":false}}");
            yield return Utf8("{\"goAway\":{\"timeLeft\":\"50s\"}}");
            yield return Utf8("{\"serverContent\": {\"modelTurn\": ");
            yield return Utf8("[1,2]");
        }

        static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

        /// <summary>A provider on a fresh pump whose first server message is <paramref name="answer"/>; the hand-moved clock never fires the watchdog.</summary>
        GeminiLiveProvider Open(PumpTransport wire, byte[] answer, Listener listener)
        {
            wire.Script(answer);
            var provider = new GeminiLiveProvider(new StaticCredential("fuzz-placeholder"), new GeminiLiveOptions
            {
                TransportFactory = () => wire,
                Clock = new ManualConnectionClock(),
                // Priced, so usageMetadata also goes through the cost estimate (made-up prices).
                Prices = new PriceTable().Set("gemini", new ModelPrices { InputText = 1, InputAudio = 2, CachedInputText = 0.5, OutputText = 3, OutputAudio = 4 }),
            });
            try
            {
                if (!provider.ConnectAsync(new SessionConfig(), listener, CancellationToken.None).Wait(Wait)) throw new FuzzFinding("ConnectAsync hung.");
            }
            catch (AggregateException e)
            {
                provider.Dispose();
                throw e.InnerException;
            }
            catch
            {
                provider.Dispose();
                throw;
            }
            return provider;
        }

        public override Outcome Run(byte[] input)
        {
            if (_count++ % 16 == 15) return Setup(input);
            if (_provider == null || _listener.Disconnected || _delivered == InputsPerConnection)
            {
                _provider?.Dispose();
                _listener = new Listener();
                _wire = new PumpTransport();
                _provider = Open(_wire, SetupComplete, _listener);
                _delivered = 0;
            }
            _delivered++;
            _listener.Clear();
            if (!_wire.Deliver(input, Wait)) throw new FuzzFinding("The receive loop stopped asking for messages.");
            if (!_wire.WaitParked(Wait) && !_listener.Disconnected) throw new FuzzFinding("The receive loop did not come back for the next message.");
            _listener.Check();
            return _listener.Errors > 0 ? Outcome.Rejected : Outcome.Decoded;
        }

        /// <summary>The fuzzed message answers setup: connected (setupComplete), or refused with a ProviderException.</summary>
        Outcome Setup(byte[] input)
        {
            var listener = new Listener();
            Open(new PumpTransport(), input, listener).Dispose();
            listener.Check();
            return Outcome.Decoded;
        }

        public override void Dispose() => _provider?.Dispose();

        /// <summary>Also: audio only inside a started response (playout is keyed by the response's item id).</summary>
        sealed class Listener : ProviderEventChecks
        {
            bool _inResponse;

            public override void OnEvent(ProviderEvent e)
            {
                base.OnEvent(e);
                if (e is ResponseStarted) _inResponse = true;
                if (e is ResponseDone || e is Parley.Providers.Disconnected) _inResponse = false;
            }

            public override void OnAudio(string itemId, ReadOnlySpan<short> pcm)
            {
                if (!_inResponse || itemId == null) Internal = "audio outside a started response (item '" + itemId + "')";
            }
        }
    }
}
