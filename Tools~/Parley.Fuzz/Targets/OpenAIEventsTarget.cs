using System;
using System.Collections.Generic;
using System.Text;
using System.Threading;
using Parley.Providers;
using Parley.Providers.Auth;
using Parley.Providers.OpenAI;

namespace Parley.Fuzz
{
    /// <summary>
    /// Every OpenAI Realtime server event as the provider handles it (the audio fast path, the JSON fallback and
    /// each event's fields), through a connected <see cref="OpenAIRealtimeProvider"/> on a <see cref="PumpTransport"/>.
    /// Allowed: provider events, including typed <see cref="ProviderError"/>s. A finding: an internal exception that
    /// the receive loop had to catch (reported as <c>handler_failed</c>), or a loop that stops asking for messages.
    /// </summary>
    public sealed class OpenAIEventsTarget : FuzzTarget
    {
        static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
        readonly ProviderEventChecks _listener = new ProviderEventChecks();
        OpenAIRealtimeProvider _provider;
        PumpTransport _wire;

        public override string Name => "openai-events";
        public override string Decoder => "OpenAIRealtimeProvider receive path (every server event type)";
        public override string TypedErrors => "ProviderError events other than handler_failed";
        public override bool IsTypedError(Exception e) => false;

        public override IEnumerable<byte[]> Seeds(SeedFiles files)
        {
            foreach (var e in files.OpenAIServerEvents()) yield return e;
            foreach (var e in new OpenAIAudioDeltaTarget().Seeds(files)) yield return e;
            yield return Utf8("{\"type\":\"session.updated\",\"event_id\":\"e2\",\"session\":{\"type\":\"realtime\",\"audio\":{\"input\":{\"format\":{\"type\":\"audio/pcm\",\"rate\":24000}},\"output\":{\"format\":{\"type\":\"audio/pcmu\"}}}}}");
            yield return Utf8("{\"type\":\"response.created\",\"event_id\":\"e\",\"response\":{\"id\":\"resp_1\",\"status\":\"in_progress\"}}");
            yield return Utf8("{\"type\":\"conversation.item.input_audio_transcription.completed\",\"item_id\":\"i\",\"transcript\":\"hi\",\"usage\":{\"type\":\"duration\",\"seconds\":2.5}}");
            yield return Utf8("{\"type\":\"conversation.item.input_audio_transcription.completed\",\"item_id\":\"i\",\"transcript\":\"hi\",\"usage\":{\"type\":\"tokens\",\"total_tokens\":12}}");
            yield return Utf8("{\"type\":\"error\",\"event_id\":\"e\",\"error\":{\"type\":\"invalid_request_error\",\"code\":\"conversation_already_has_active_response\",\"message\":\"busy\",\"event_id\":\"parley_truncate_1\"}}");
            yield return Utf8("{\"type\":\"response.done\",\"response\":{\"id\":\"r\",\"status\":\"failed\",\"status_details\":{\"reason\":\"x\",\"error\":{\"code\":\"c\"}},\"usage\":{\"total_tokens\":5,\"input_token_details\":{\"text_tokens\":1,\"cached_tokens_details\":{\"audio_tokens\":2}},\"output_tokens\":3}}}");
        }

        static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

        void Connect()
        {
            _provider?.Dispose();
            _wire = new PumpTransport();
            _wire.Script(Utf8("{\"type\":\"session.created\",\"event_id\":\"e1\",\"session\":{\"type\":\"realtime\",\"model\":\"gpt-realtime\"}}"));
            _wire.Script(Utf8("{\"type\":\"session.updated\",\"event_id\":\"e2\",\"session\":{\"type\":\"realtime\"}}"));
            _listener.Disconnected = false;
            var wire = _wire;
            _provider = new OpenAIRealtimeProvider(new OpenAIRealtimeOptions
            {
                Credentials = new StaticCredential("fuzz-placeholder"),
                TransportFactory = () => wire,
                StallTimeout = TimeSpan.FromHours(1),
            });
            if (!_provider.ConnectAsync(new SessionConfig(), _listener, CancellationToken.None).Wait(Wait)) throw new FuzzFinding("The provider did not connect.");
        }

        public override Outcome Run(byte[] input)
        {
            if (_provider == null || _listener.Disconnected) Connect();
            _listener.Clear();
            if (!_wire.Deliver(input, Wait)) throw new FuzzFinding("The receive loop stopped asking for messages.");
            // Back to waiting, or gone because the message closed the session (typed, reconnect next time).
            if (!_wire.WaitParked(Wait) && !_listener.Disconnected) throw new FuzzFinding("The receive loop did not come back for the next message.");
            _listener.Check();
            return _listener.Errors > 0 ? Outcome.Rejected : Outcome.Decoded;
        }

        public override void Dispose() => _provider?.Dispose();
    }
}
