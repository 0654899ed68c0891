using System.Collections.Generic;
using NUnit.Framework;
using Parley.Providers;
using Parley.Providers.Connection;
using Parley.Transport;

namespace Parley.Tests.Core.Providers.Connection
{
    /// <summary>
    /// The one error table. Expectations come from the specifications, not from the table: RFC 6455 §7.4.1 and the
    /// IANA registry for close codes, RFC 9110 for HTTP statuses, grpc/doc/statuscodes.md for gRPC.
    /// </summary>
    public class ConnectionErrorsTests
    {
        static IEnumerable<TestCaseData> HttpStatuses()
        {
            yield return new TestCaseData(401, ProviderErrorKind.Authentication, false).SetName("HTTP 401 Unauthorized: key/token refused, fatal");
            yield return new TestCaseData(403, ProviderErrorKind.Authentication, false).SetName("HTTP 403 Forbidden: not allowed, fatal");
            yield return new TestCaseData(404, ProviderErrorKind.InvalidRequest, false).SetName("HTTP 404 Not Found: wrong path or model, fatal");
            yield return new TestCaseData(400, ProviderErrorKind.InvalidRequest, false).SetName("HTTP 400 Bad Request, fatal");
            yield return new TestCaseData(429, ProviderErrorKind.RateLimited, true).SetName("HTTP 429 Too Many Requests: recoverable after back-off");
            yield return new TestCaseData(500, ProviderErrorKind.Server, true).SetName("HTTP 500, recoverable");
            yield return new TestCaseData(502, ProviderErrorKind.Server, true).SetName("HTTP 502, recoverable");
            yield return new TestCaseData(503, ProviderErrorKind.Server, true).SetName("HTTP 503, recoverable");
        }

        [TestCaseSource(nameof(HttpStatuses))]
        public void HttpStatus(int status, ProviderErrorKind kind, bool recoverable)
        {
            var e = ConnectionErrors.FromHttpStatus(status, null);
            Assert.That(e.ErrorKind, Is.EqualTo(kind));
            Assert.That(e.Code, Is.EqualTo(status.ToString()));
            Assert.That(e.Recoverable, Is.EqualTo(recoverable));
            // A refused upgrade carries the status on the transport exception: same row.
            var t = ConnectionErrors.FromTransport(new TransportException(TransportErrorKind.Rejected, "refused", null, status));
            Assert.That(t.ErrorKind, Is.EqualTo(kind));
            Assert.That(t.Recoverable, Is.EqualTo(recoverable));
        }

        static IEnumerable<TestCaseData> CloseCodes()
        {
            yield return new TestCaseData(1000, "", ProviderErrorKind.Transport, "1000", true).SetName("close 1000 not asked for: recoverable");
            yield return new TestCaseData(1001, "going away", ProviderErrorKind.Transport, "1001", true).SetName("close 1001 going away: recoverable");
            yield return new TestCaseData(1007, "Request contains an invalid argument.", ProviderErrorKind.InvalidRequest, "1007", false).SetName("close 1007 invalid payload: fatal");
            yield return new TestCaseData(1008, "API key not valid. Please pass a valid API key.", ProviderErrorKind.Authentication, "1008", false).SetName("close 1008 policy (key): fatal");
            yield return new TestCaseData(1008, "You exceeded your current quota.", ProviderErrorKind.RateLimited, "1008", true).SetName("close 1008 policy (quota): recoverable");
            yield return new TestCaseData(1008, "Operation is not implemented, or supported, or enabled.", ProviderErrorKind.InvalidRequest, "1008", false).SetName("close 1008 policy (other): fatal");
            yield return new TestCaseData(1009, "message too big", ProviderErrorKind.InvalidRequest, "1009", false).SetName("close 1009 our message too big: fatal");
            yield return new TestCaseData(1011, "Internal error", ProviderErrorKind.Server, "1011", true).SetName("close 1011 internal error: recoverable");
            yield return new TestCaseData(1013, "try again later", ProviderErrorKind.Server, "1013", true).SetName("close 1013 try again later: recoverable");
            yield return new TestCaseData(4000, "invalid_request_error.beta_api_shape_disabled", ProviderErrorKind.InvalidRequest, "beta_api_shape_disabled", false).SetName("close 4000 OpenAI type.code: fatal");
            yield return new TestCaseData(4001, "authentication_error.invalid_api_key", ProviderErrorKind.Authentication, "invalid_api_key", false).SetName("close 4xxx auth reason: fatal");
            yield return new TestCaseData(4999, "", ProviderErrorKind.InvalidRequest, "4999", false).SetName("close 4xxx without reason: fatal");
        }

        [TestCaseSource(nameof(CloseCodes))]
        public void CloseCode(int status, string reason, ProviderErrorKind kind, string code, bool recoverable)
        {
            var e = ConnectionErrors.FromClose(status, reason);
            Assert.That(e.ErrorKind, Is.EqualTo(kind));
            Assert.That(e.Code, Is.EqualTo(code));
            Assert.That(e.Recoverable, Is.EqualTo(recoverable));
            Assert.That(e.Message, Does.Contain(status.ToString()));
        }

        static IEnumerable<TestCaseData> TransportFailures()
        {
            yield return new TestCaseData(TransportErrorKind.ConnectionLost, ProviderErrorKind.Transport, "connection_lost", true).SetName("reset without a close frame: recoverable");
            yield return new TestCaseData(TransportErrorKind.Unreachable, ProviderErrorKind.Transport, "unreachable", true).SetName("unreachable: recoverable");
            yield return new TestCaseData(TransportErrorKind.Timeout, ProviderErrorKind.Stalled, "connect_timeout", true).SetName("connect timeout: recoverable");
            yield return new TestCaseData(TransportErrorKind.MessageTooLarge, ProviderErrorKind.Protocol, "message_too_large", true).SetName("oversized frame received: recoverable");
            yield return new TestCaseData(TransportErrorKind.Tls, ProviderErrorKind.Transport, "tls", true).SetName("TLS failure: recoverable");
            yield return new TestCaseData(TransportErrorKind.InsecureRefused, ProviderErrorKind.InvalidRequest, "insecure", false).SetName("plain text refused: fatal");
        }

        [TestCaseSource(nameof(TransportFailures))]
        public void TransportFailure(TransportErrorKind failure, ProviderErrorKind kind, string code, bool recoverable)
        {
            var e = ConnectionErrors.FromTransport(new TransportException(failure, "x"));
            Assert.That(e.ErrorKind, Is.EqualTo(kind));
            Assert.That(e.Code, Is.EqualTo(code));
            Assert.That(e.Recoverable, Is.EqualTo(recoverable));
        }

        static IEnumerable<TestCaseData> GrpcStatuses()
        {
            yield return new TestCaseData(14, "Unavailable", ProviderErrorKind.Transport, true).SetName("gRPC UNAVAILABLE (14): recoverable");
            yield return new TestCaseData(4, "DeadlineExceeded", ProviderErrorKind.Stalled, true).SetName("gRPC DEADLINE_EXCEEDED (4): recoverable");
            yield return new TestCaseData(16, "Unauthenticated", ProviderErrorKind.Authentication, false).SetName("gRPC UNAUTHENTICATED (16): fatal");
            yield return new TestCaseData(7, "PermissionDenied", ProviderErrorKind.Authentication, false).SetName("gRPC PERMISSION_DENIED (7): fatal");
            yield return new TestCaseData(8, "ResourceExhausted", ProviderErrorKind.RateLimited, true).SetName("gRPC RESOURCE_EXHAUSTED (8): recoverable");
            yield return new TestCaseData(3, "InvalidArgument", ProviderErrorKind.InvalidRequest, false).SetName("gRPC INVALID_ARGUMENT (3): fatal");
            yield return new TestCaseData(5, "NotFound", ProviderErrorKind.InvalidRequest, false).SetName("gRPC NOT_FOUND (5): fatal");
            yield return new TestCaseData(13, "Internal", ProviderErrorKind.Server, true).SetName("gRPC INTERNAL (13): recoverable");
        }

        [TestCaseSource(nameof(GrpcStatuses))]
        public void GrpcStatus(int code, string name, ProviderErrorKind kind, bool recoverable)
        {
            var e = ConnectionErrors.FromGrpcStatus(code, name, "detail");
            Assert.That(e.ErrorKind, Is.EqualTo(kind));
            Assert.That(e.Code, Is.EqualTo(name));
            Assert.That(e.Recoverable, Is.EqualTo(recoverable));
        }
    }
}
