using System;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Parley.Transport;

namespace Parley.Providers.Riva
{
    /// <summary>
    /// One NIM realtime WebSocket: connect with auth, a send lane guarded for the two callers (audio and control),
    /// a receive loop that parses JSON events, and typed failures. Shared by <see cref="NimRealtimeAsr"/> and
    /// <see cref="NimRealtimeTts"/>.
    /// </summary>
    internal sealed class NimRealtimeSocket : IDisposable
    {
        readonly NimRealtimeOptions _options;
        readonly IWebSocketTransport _transport;
        readonly SemaphoreSlim _sendLock = new SemaphoreSlim(1, 1);
        readonly MessageBuffer _buffer = new MessageBuffer(64 * 1024);
        readonly CancellationTokenSource _life = new CancellationTokenSource();
        Task _receive;
        volatile bool _closing;

        public NimRealtimeSocket(NimRealtimeOptions options)
        {
            _options = options;
            _transport = options.TransportFactory();
        }

        public bool IsOpen => _transport.IsOpen && !_closing;

        public async Task ConnectAsync(string intent, CancellationToken cancellationToken)
        {
            var uri = _options.Endpoint(intent);
            try
            {
                EndpointSecurity.Check(uri, _options.AllowInsecure);
            }
            catch (TransportException e)
            {
                throw Map(e);
            }
            var connect = new WebSocketConnectOptions { ConnectTimeout = _options.HandshakeTimeout };
            if (_options.Credentials != null)
            {
                var credential = await _options.Credentials.GetAsync(cancellationToken).ConfigureAwait(false);
                if (!credential.IsEmpty) connect.Headers.Add(new System.Collections.Generic.KeyValuePair<string, string>("Authorization", "Bearer " + credential.Secret));
            }
            try
            {
                await _transport.ConnectAsync(uri, connect, cancellationToken).ConfigureAwait(false);
            }
            catch (TransportException e)
            {
                throw Map(e);
            }
        }

        /// <summary>Receives one event during the handshake, before the loop runs.</summary>
        public async Task<JObject> ReceiveOneAsync(CancellationToken cancellationToken)
        {
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                timeout.CancelAfter(_options.HandshakeTimeout);
                try
                {
                    while (true)
                    {
                        var m = await _transport.ReceiveAsync(_buffer, timeout.Token).ConfigureAwait(false);
                        if (m.Kind == MessageKind.Close)
                            throw new ProviderException(ProviderErrorKind.Transport, m.CloseStatus.ToString(), "The NIM closed the connection during the handshake (" + m.CloseStatus + " " + m.CloseReason + ").");
                        var e = Parse();
                        ThrowIfError(e);
                        return e;
                    }
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new ProviderException(ProviderErrorKind.Stalled, "handshake_timeout", "The NIM did not answer the session setup within " + _options.HandshakeTimeout.TotalSeconds + " s.");
                }
                catch (TransportException e)
                {
                    throw Map(e);
                }
            }
        }

        /// <summary>Waits for an event of <paramref name="type"/> during the handshake, skipping others.</summary>
        public async Task<JObject> ExpectAsync(string type, CancellationToken cancellationToken)
        {
            while (true)
            {
                var e = await ReceiveOneAsync(cancellationToken).ConfigureAwait(false);
                if (JsonFields.Str(e, "type") == type) return e;
            }
        }

        /// <summary>Starts the receive loop. <paramref name="onClosed"/> gets null for a close we asked for, else the failure.</summary>
        public void StartReceiving(Action<JObject> onEvent, Action<ProviderException> onClosed)
        {
            _receive = Task.Run(async () =>
            {
                ProviderException failure = null;
                try
                {
                    while (!_life.IsCancellationRequested)
                    {
                        var m = await _transport.ReceiveAsync(_buffer, _life.Token).ConfigureAwait(false);
                        if (m.Kind == MessageKind.Close)
                        {
                            if (!_closing) failure = new ProviderException(ProviderErrorKind.Transport, m.CloseStatus.ToString(), "The NIM closed the connection (" + m.CloseStatus + (string.IsNullOrEmpty(m.CloseReason) ? "" : " " + m.CloseReason) + ").");
                            break;
                        }
                        var e = Parse();
                        onEvent(e);
                    }
                }
                catch (OperationCanceledException)
                {
                }
                catch (TransportException e)
                {
                    if (!_closing) failure = Map(e);
                }
                catch (ProviderException e)
                {
                    failure = e;
                }
                catch (ObjectDisposedException)
                {
                }
                _closing = true;
                onClosed(failure);
            });
        }

        public async Task SendAsync(ReadOnlyMemory<byte> json, CancellationToken cancellationToken)
        {
            await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await _transport.SendAsync(json, MessageKind.Text, cancellationToken).ConfigureAwait(false);
            }
            catch (TransportException e)
            {
                throw Map(e);
            }
            finally
            {
                _sendLock.Release();
            }
        }

        public Task SendAsync(string json, CancellationToken cancellationToken) => SendAsync(Encoding.UTF8.GetBytes(json), cancellationToken);

        public async Task CloseAsync(CancellationToken cancellationToken)
        {
            _closing = true;
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                timeout.CancelAfter(TimeSpan.FromSeconds(2));
                try
                {
                    await _transport.CloseAsync(1000, "done", timeout.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is TransportException || e is OperationCanceledException)
                {
                }
            }
            _life.Cancel();
        }

        JObject Parse()
        {
            JObject e;
            try
            {
                using (var reader = new JsonTextReader(new StreamReader(new MemoryStream(_buffer.Written.Array, 0, _buffer.Count), Encoding.UTF8)))
                    e = JObject.Load(reader);
            }
            catch (JsonException ex)
            {
                throw new ProviderException(ProviderErrorKind.Protocol, "bad_json", "The NIM sent a message that is not JSON.", ex);
            }
            return e;
        }

        /// <summary>NIM errors: any event whose type contains "error", message in error.message (reference client).</summary>
        public static ProviderException AsError(JObject e)
        {
            var type = JsonFields.Str(e, "type") ?? string.Empty;
            if (type.IndexOf("error", StringComparison.OrdinalIgnoreCase) < 0) return null;
            var error = JsonFields.Field(e, "error");
            var message = error is JObject ? JsonFields.Str(error, "message") : error?.ToString();
            var code = JsonFields.Str(error, "code") ?? JsonFields.Str(error, "type");
            return new ProviderException(ProviderErrorKind.Server, code ?? type, "NIM error: " + (message ?? type));
        }

        static void ThrowIfError(JObject e)
        {
            var error = AsError(e);
            if (error != null) throw error;
        }

        public static ProviderException Map(TransportException e)
        {
            var kind = e.Kind == TransportErrorKind.Rejected && (e.HttpStatus == 401 || e.HttpStatus == 403) ? ProviderErrorKind.Authentication
                : e.Kind == TransportErrorKind.Timeout ? ProviderErrorKind.Stalled
                : ProviderErrorKind.Transport;
            return new ProviderException(kind, e.Kind.ToString(), e.Message, e);
        }

        public void Dispose()
        {
            _closing = true;
            _life.Cancel();
            _transport.Dispose();
        }
    }
}
