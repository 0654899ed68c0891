using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Parley.Providers.Auth;
using Parley.Providers.Connection;
using Parley.Transport;

namespace Parley.Providers.Riva
{
    /// <summary>
    /// One NIM realtime WebSocket on the connection skeleton: the setup exchange (optionally after a server-first
    /// event), JSON events to the stage, and one end typed by <see cref="ConnectionErrors"/>. Shared by
    /// <see cref="NimRealtimeAsr"/> and <see cref="NimRealtimeTts"/>; the stage arms the stall watchdog while it
    /// waits for a result (<see cref="ExpectResult"/>).
    /// </summary>
    internal sealed class NimRealtimeSocket : WebSocketConnection
    {
        readonly NimRealtimeOptions _options;
        readonly string _intent;
        string _waitFirst;
        string _setup;
        string _accepted;
        Action<JObject> _onEvent;
        Action<ProviderException> _onClosed;
        bool _setupSent;

        public NimRealtimeSocket(NimRealtimeOptions options, string intent)
            : base(new ConnectionSettings
            {
                Credentials = options.Credentials,
                AllowInsecure = options.AllowInsecure,
                TransportFactory = options.TransportFactory,
                HandshakeTimeout = options.HandshakeTimeout,
                StallTimeout = options.ResultTimeout,
                MaxMessageBytes = options.MaxMessageBytes,
                Clock = options.Clock,
                PeerName = "The NIM",
            })
        {
            _options = options;
            _intent = intent;
        }

        /// <summary>The event that accepted the setup (e.g. synthesize_session.updated with the rate).</summary>
        public JObject Accepted { get; private set; }

        /// <summary>
        /// Connects, sends <paramref name="setup"/> (after the server's <paramref name="waitFirst"/> event when given)
        /// and returns when <paramref name="accepted"/> arrives. Later events go to <paramref name="onEvent"/>;
        /// <paramref name="onClosed"/> gets null for a close we asked for, else the typed failure, once.
        /// </summary>
        public Task OpenAsync(string waitFirst, string setup, string accepted, Action<JObject> onEvent, Action<ProviderException> onClosed, CancellationToken cancellationToken)
        {
            _waitFirst = waitFirst;
            _setup = setup;
            _accepted = accepted;
            _onEvent = onEvent;
            _onClosed = onClosed;
            _setupSent = false;
            return OpenAsync(cancellationToken);
        }

        /// <summary>Arms the stall watchdog while a result the client asked for is outstanding.</summary>
        public void ExpectResult(bool outstanding) => ExpectServer(outstanding);

        protected override Uri PrepareRequest(Credential credential, WebSocketConnectOptions options)
        {
            if (!credential.IsEmpty) options.Headers.Add(new KeyValuePair<string, string>("Authorization", "Bearer " + credential.Secret));
            return _options.Endpoint(_intent);
        }

        protected override Task OnOpenedAsync(CancellationToken cancellationToken) => _waitFirst == null ? SendSetup(cancellationToken) : Task.CompletedTask;

        Task SendSetup(CancellationToken cancellationToken)
        {
            _setupSent = true;
            return SendJsonAsync(_setup, cancellationToken);
        }

        protected override Task OnMessageAsync(ReadOnlySpan<byte> message, MessageKind kind) => Handle(Parse(message));

        async Task Handle(JObject e)
        {
            if (e == null)
            {
                // Not JSON: the stream cannot be trusted any more (a stage stream is one reply or one utterance).
                var error = ConnectionErrors.Error(ProviderErrorKind.Protocol, "malformed_json", "The NIM sent a message that is not JSON.");
                if (!HandshakeDone) FailHandshake(ConnectionErrors.ToException(error));
                else Fail(error);
                return;
            }
            if (HandshakeDone)
            {
                _onEvent(e);
                return;
            }
            var refused = AsError(e);
            if (refused != null)
            {
                FailHandshake(refused);
                return;
            }
            var type = JsonFields.Str(e, "type");
            if (!_setupSent && type == _waitFirst) await SendSetup(CancellationToken.None).ConfigureAwait(false);
            else if (type == _accepted)
            {
                Accepted = e;
                CompleteHandshake();
            }
        }

        protected override void OnEnded(Disconnected e) =>
            _onClosed?.Invoke(e.Error == null ? null : ConnectionErrors.ToException(e.Error));

        // Handler bugs in a stage are its own; the stream goes on (the stage reports what it must).
        protected override void OnError(ProviderError e) { }

        public Task SendAsync(ReadOnlyMemory<byte> json, CancellationToken cancellationToken) =>
            SendAsync(json, MessageKind.Text, cancellationToken).AsTask();

        public Task SendAsync(string json, CancellationToken cancellationToken) => SendJsonAsync(json, cancellationToken);

        static JObject Parse(ReadOnlySpan<byte> message)
        {
            try
            {
                using (var reader = new JsonTextReader(new StringReader(Encoding.UTF8.GetString(message))) { DateParseHandling = DateParseHandling.None })
                    return JObject.Load(reader);
            }
            catch (Exception e) when (e is JsonException || e is InvalidCastException)
            {
                return null;
            }
        }

        /// <summary>NIM errors: any event whose type contains "error", message in error.message (reference client).</summary>
        public static ProviderException AsError(JObject e)
        {
            var type = JsonFields.Str(e, "type") ?? string.Empty;
            if (type.IndexOf("error", StringComparison.OrdinalIgnoreCase) < 0) return null;
            var error = e["error"];
            var message = error is JObject ? JsonFields.Str(error, "message") : error?.ToString();
            var code = error is JObject ? JsonFields.Str(error, "code") ?? JsonFields.Str(error, "type") : null;
            var kind = ConnectionErrors.ByReason(code + " " + message, ProviderErrorKind.Server);
            return new ProviderException(kind, code ?? type, "NIM error: " + (message ?? type));
        }
    }
}
