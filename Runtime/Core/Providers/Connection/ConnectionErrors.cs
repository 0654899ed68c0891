using System;
using Parley.Transport;

namespace Parley.Providers.Connection
{
    /// <summary>
    /// The one error table of every provider: HTTP status of a refused upgrade or request, WebSocket close codes,
    /// transport failures (reset without a close frame, timeouts, oversized messages), gRPC statuses and SSE
    /// failures all map here to the same <see cref="ProviderErrorKind"/>s, and the kind alone says whether a new
    /// connection may succeed (<see cref="IsRecoverable"/>). Documentation~/reliability.md lists the table.
    /// </summary>
    public static class ConnectionErrors
    {
        /// <summary>
        /// Recoverable kinds (a new connection may succeed): RateLimited (after a back-off), Server, Protocol,
        /// Transport, Stalled. Fatal kinds (it would fail the same way): Authentication, InvalidRequest, Unsupported.
        /// </summary>
        public static bool IsRecoverable(ProviderErrorKind kind)
        {
            switch (kind)
            {
                case ProviderErrorKind.Authentication:
                case ProviderErrorKind.InvalidRequest:
                case ProviderErrorKind.Unsupported:
                    return false;
                default:
                    return true;
            }
        }

        /// <summary>HTTP status of a refused WebSocket upgrade or an HTTP request (SSE, token endpoints).</summary>
        public static ProviderErrorKind KindOfHttpStatus(int status)
        {
            if (status == 401 || status == 403) return ProviderErrorKind.Authentication;
            if (status == 429) return ProviderErrorKind.RateLimited;
            if (status == 408) return ProviderErrorKind.Stalled;
            if (status >= 500) return ProviderErrorKind.Server;
            // 400, 404 (wrong path or model), 409, 413, 422...: the request itself is wrong.
            return ProviderErrorKind.InvalidRequest;
        }

        public static ProviderError FromHttpStatus(int status, string message) =>
            Error(KindOfHttpStatus(status), status.ToString(), message ?? "HTTP " + status + ".");

        /// <summary>
        /// A close frame the server sent (RFC 6455 §7.4.1; 4000–4999 are the application's). The reason is the
        /// server's own text; OpenAI puts "type.code" in it for 4000 and Gemini says what is wrong for 1007/1008.
        /// </summary>
        public static ProviderError FromClose(int status, string reason)
        {
            var message = "The server closed the connection (" + status + (string.IsNullOrEmpty(reason) ? "" : ": " + reason) + ").";
            var code = status.ToString();
            ProviderErrorKind kind;
            switch (status)
            {
                case 1000: // normal closure we did not ask for (session cap, server shutting the session)
                case 1001: // going away (server restart, load balancer)
                case 1006: // abnormal (never on the wire; some stacks report it)
                    kind = ProviderErrorKind.Transport;
                    break;
                case 1002: // protocol error
                case 1003: // unsupported data
                    kind = ProviderErrorKind.Protocol;
                    break;
                case 1007: // invalid payload: a message we sent was wrong
                    kind = ProviderErrorKind.InvalidRequest;
                    break;
                case 1008: // policy violation: key, quota, region, or a bad request, as the reason says
                    kind = ByReason(reason, ProviderErrorKind.InvalidRequest);
                    break;
                case 1009: // a message we sent was too big for the server
                    kind = ProviderErrorKind.InvalidRequest;
                    break;
                case 1011: // internal error
                case 1012: // service restart
                case 1013: // try again later (overloaded)
                case 1014: // bad gateway
                    kind = ProviderErrorKind.Server;
                    break;
                default:
                    if (status >= 4000 && status <= 4999)
                    {
                        // Application codes: the reason names the error ("invalid_request_error.beta_api_shape_disabled").
                        kind = ByReason(reason, ProviderErrorKind.InvalidRequest);
                        var dot = reason == null ? -1 : reason.LastIndexOf('.');
                        if (dot >= 0 && dot < reason.Length - 1 && reason.IndexOf(' ') < 0) code = reason.Substring(dot + 1);
                    }
                    else kind = ProviderErrorKind.Transport;
                    break;
            }
            return Error(kind, code, message);
        }

        /// <summary>A reason or vendor error type/code as a kind; <paramref name="otherwise"/> when it names none.</summary>
        public static ProviderErrorKind ByReason(string reason, ProviderErrorKind otherwise)
        {
            var r = (reason ?? string.Empty).ToLowerInvariant();
            if (r.Contains("rate_limit") || r.Contains("rate limit") || r.Contains("quota") || r.Contains("resource_exhausted") || r.Contains("resource exhausted")) return ProviderErrorKind.RateLimited;
            if (r.Contains("api key") || r.Contains("api_key") || r.Contains("authentication") || r.Contains("unauthorized") || r.Contains("unauthenticated")
                || r.Contains("permission") || r.Contains("credential") || r.Contains("access token") || r.Contains("token expired") || r.Contains("expired token") || r.Contains("invalid token"))
                return ProviderErrorKind.Authentication;
            if (r.Contains("server_error") || r.Contains("internal")) return ProviderErrorKind.Server;
            return otherwise;
        }

        /// <summary>A failure of the transport itself (connect, receive or send).</summary>
        public static ProviderError FromTransport(TransportException e)
        {
            switch (e.Kind)
            {
                case TransportErrorKind.Rejected:
                    return e.HttpStatus > 0 ? FromHttpStatus(e.HttpStatus, e.Message) : Error(ProviderErrorKind.InvalidRequest, "rejected", e.Message);
                case TransportErrorKind.Timeout:
                    return Error(ProviderErrorKind.Stalled, "connect_timeout", e.Message);
                case TransportErrorKind.ConnectionLost:
                    // A reset without a close frame.
                    return Error(ProviderErrorKind.Transport, "connection_lost", e.Message);
                case TransportErrorKind.MessageTooLarge:
                    return Error(ProviderErrorKind.Protocol, "message_too_large", e.Message);
                case TransportErrorKind.InsecureRefused:
                    // Configuration, refused before any network: retrying cannot help.
                    return Error(ProviderErrorKind.InvalidRequest, "insecure", e.Message);
                case TransportErrorKind.Tls:
                    return Error(ProviderErrorKind.Transport, "tls", e.Message);
                case TransportErrorKind.NotConnected:
                    return Error(ProviderErrorKind.Transport, "not_connected", e.Message);
                default:
                    return Error(ProviderErrorKind.Transport, "unreachable", e.Message);
            }
        }

        /// <summary>
        /// A gRPC status (numeric code of grpc/status.proto) as a kind: the status name is kept as the code.
        /// </summary>
        public static ProviderError FromGrpcStatus(int code, string name, string detail)
        {
            ProviderErrorKind kind;
            switch (code)
            {
                case 16: // UNAUTHENTICATED
                case 7: // PERMISSION_DENIED
                    kind = ProviderErrorKind.Authentication; break;
                case 8: // RESOURCE_EXHAUSTED
                    kind = ProviderErrorKind.RateLimited; break;
                case 3: // INVALID_ARGUMENT
                case 5: // NOT_FOUND
                case 6: // ALREADY_EXISTS
                case 9: // FAILED_PRECONDITION
                case 11: // OUT_OF_RANGE
                case 12: // UNIMPLEMENTED
                    kind = ProviderErrorKind.InvalidRequest; break;
                case 1: // CANCELLED (by the server or a proxy; ours never reaches here)
                case 14: // UNAVAILABLE: connection refused or dropped
                    kind = ProviderErrorKind.Transport; break;
                case 4: // DEADLINE_EXCEEDED
                    kind = ProviderErrorKind.Stalled; break;
                default: // UNKNOWN, ABORTED, INTERNAL, DATA_LOSS
                    kind = ProviderErrorKind.Server; break;
            }
            return Error(kind, name ?? code.ToString(), "gRPC " + (name ?? code.ToString()) + ": " + detail);
        }

        /// <summary>The server sent nothing for <paramref name="silence"/> while a reply was due.</summary>
        public static ProviderError Stalled(string who, TimeSpan silence) =>
            Error(ProviderErrorKind.Stalled, "stalled", who + " sent nothing for " + silence.TotalSeconds + " s while a reply was due.");

        /// <summary>An SSE body that ended before [DONE] and without a finish_reason.</summary>
        public static ProviderError TruncatedStream(string message) => Error(ProviderErrorKind.Protocol, "truncated", message);

        /// <summary>One typed error; <see cref="ProviderError.Recoverable"/> follows the kind.</summary>
        public static ProviderError Error(ProviderErrorKind kind, string code, string message, bool fatal = true) =>
            new ProviderError { ErrorKind = kind, Code = code, Message = message, IsFatal = fatal, Recoverable = IsRecoverable(kind) };

        public static ProviderException ToException(ProviderError e, Exception inner = null) =>
            new ProviderException(e.ErrorKind, e.Code, e.Message, inner);

        public static ProviderException ToException(TransportException e) => ToException(FromTransport(e), e);

        /// <summary>An exception (a failed stage, a failed call) as the event the session sees.</summary>
        public static ProviderError FromException(ProviderException e, bool fatal) => Error(e.Kind, e.Code, e.Message, fatal);
    }
}
