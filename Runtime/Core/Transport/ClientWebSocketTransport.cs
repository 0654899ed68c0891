using System;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;

namespace Parley.Transport
{
    /// <summary>
    /// The default transport: System.Net.WebSockets.ClientWebSocket (desktop, mobile, editor; not WebGL).
    /// Maps every failure to a <see cref="TransportException"/> whose message holds no header values.
    /// </summary>
    public sealed class ClientWebSocketTransport : IWebSocketTransport
    {
        static readonly Regex StatusInMessage = new Regex(@"status code '(\d{3})'", RegexOptions.CultureInvariant);

        ClientWebSocket _socket;
        int _maxMessageBytes = 16 * 1024 * 1024;

        public bool IsOpen => _socket != null && _socket.State == WebSocketState.Open;
        public string SubProtocol => _socket?.SubProtocol;

        public async Task ConnectAsync(Uri uri, WebSocketConnectOptions options, CancellationToken cancellationToken)
        {
            if (uri == null) throw new ArgumentNullException(nameof(uri));
            options = options ?? new WebSocketConnectOptions();
            _socket?.Dispose();
            _socket = new ClientWebSocket();
            _maxMessageBytes = options.MaxMessageBytes;
            _socket.Options.KeepAliveInterval = options.KeepAliveInterval;
            foreach (var h in options.Headers) _socket.Options.SetRequestHeader(h.Key, h.Value);
            foreach (var p in options.SubProtocols) _socket.Options.AddSubProtocol(p);

            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                timeout.CancelAfter(options.ConnectTimeout);
                try
                {
                    await _socket.ConnectAsync(uri, timeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new TransportException(TransportErrorKind.Timeout, "Connecting to " + Describe(uri) + " timed out after " + options.ConnectTimeout.TotalSeconds + " s.");
                }
                catch (WebSocketException e)
                {
                    throw Classify(uri, e);
                }
                catch (Exception e) when (e is System.Net.Http.HttpRequestException || e is SocketException || e is System.IO.IOException)
                {
                    throw Classify(uri, e);
                }
            }
        }

        public async ValueTask SendAsync(ReadOnlyMemory<byte> message, MessageKind kind, CancellationToken cancellationToken)
        {
            var socket = _socket;
            if (socket == null || socket.State != WebSocketState.Open)
                throw new TransportException(TransportErrorKind.NotConnected, "The connection is not open.");
            try
            {
                await socket.SendAsync(message, kind == MessageKind.Binary ? WebSocketMessageType.Binary : WebSocketMessageType.Text, true, cancellationToken).ConfigureAwait(false);
            }
            catch (WebSocketException e)
            {
                throw new TransportException(TransportErrorKind.ConnectionLost, "Send failed: the connection dropped.", e);
            }
            catch (ObjectDisposedException e)
            {
                throw new TransportException(TransportErrorKind.NotConnected, "Send failed: the connection is closed.", e);
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                // An aborted socket fails a pending send with a cancellation nobody asked for.
                throw new TransportException(TransportErrorKind.NotConnected, "Send failed: the connection was aborted.", e);
            }
        }

        public async ValueTask<ReceivedMessage> ReceiveAsync(MessageBuffer buffer, CancellationToken cancellationToken)
        {
            var socket = _socket;
            if (socket == null) throw new TransportException(TransportErrorKind.NotConnected, "The connection is not open.");
            buffer.Reset();
            var limit = Math.Min(buffer.Limit, _maxMessageBytes);
            try
            {
                while (true)
                {
                    if (buffer.Count >= limit || !buffer.TryGetFreeSpace(4096, out var free))
                    {
                        // Drain nothing more: a peer sending more than the limit gets the connection closed (1009).
                        await SafeClose(socket, WebSocketCloseStatus.MessageTooBig, "message too large").ConfigureAwait(false);
                        throw new TransportException(TransportErrorKind.MessageTooLarge, "A message exceeded " + limit + " bytes.");
                    }
                    var result = await socket.ReceiveAsync(new Memory<byte>(free.Array, free.Offset, free.Count), cancellationToken).ConfigureAwait(false);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        var status = (int)(socket.CloseStatus ?? WebSocketCloseStatus.Empty);
                        var reason = socket.CloseStatusDescription;
                        await SafeClose(socket, WebSocketCloseStatus.NormalClosure, string.Empty).ConfigureAwait(false);
                        return new ReceivedMessage(MessageKind.Close, 0, status, reason);
                    }
                    buffer.Advance(result.Count);
                    if (result.EndOfMessage)
                        return new ReceivedMessage(result.MessageType == WebSocketMessageType.Binary ? MessageKind.Binary : MessageKind.Text, buffer.Count);
                }
            }
            catch (WebSocketException e)
            {
                throw new TransportException(TransportErrorKind.ConnectionLost, "The connection dropped: " + e.WebSocketErrorCode + ".", e);
            }
            catch (System.IO.IOException e)
            {
                throw new TransportException(TransportErrorKind.ConnectionLost, "The connection dropped.", e);
            }
        }

        public async Task CloseAsync(int status, string reason, CancellationToken cancellationToken)
        {
            var socket = _socket;
            if (socket == null) return;
            try
            {
                if (socket.State == WebSocketState.Open || socket.State == WebSocketState.CloseReceived)
                    await socket.CloseOutputAsync((WebSocketCloseStatus)status, reason ?? string.Empty, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is WebSocketException || e is ObjectDisposedException || e is OperationCanceledException)
            {
                // Closing a dead socket is not an error worth surfacing.
            }
        }

        public void Dispose()
        {
            _socket?.Dispose();
            _socket = null;
        }

        static async Task SafeClose(ClientWebSocket socket, WebSocketCloseStatus status, string reason)
        {
            try
            {
                if (socket.State == WebSocketState.Open || socket.State == WebSocketState.CloseReceived)
                    await socket.CloseOutputAsync(status, reason, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is WebSocketException || e is ObjectDisposedException)
            {
            }
        }

        static string Describe(Uri uri) => uri.Scheme + "://" + uri.Authority + uri.AbsolutePath;

        static TransportException Classify(Uri uri, Exception e)
        {
            var all = e.ToString();
            var m = StatusInMessage.Match(all);
            if (m.Success)
            {
                var code = int.Parse(m.Groups[1].Value);
                return new TransportException(TransportErrorKind.Rejected, Describe(uri) + " refused the connection with HTTP " + code + ".", e, code);
            }
            if (all.IndexOf("SSL", StringComparison.OrdinalIgnoreCase) >= 0 || all.IndexOf("TLS", StringComparison.Ordinal) >= 0 || e.InnerException is System.Security.Authentication.AuthenticationException)
                return new TransportException(TransportErrorKind.Tls, "TLS handshake with " + Describe(uri) + " failed (is the server speaking plain text?).", e);
            return new TransportException(TransportErrorKind.Unreachable, "Could not reach " + Describe(uri) + ": " + (e.InnerException ?? e).Message, e);
        }
    }
}
