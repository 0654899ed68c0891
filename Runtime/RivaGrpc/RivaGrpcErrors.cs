using System;
using Grpc.Core;
using Parley.Providers;

namespace Parley.RivaGrpc
{
    /// <summary>gRPC status → Parley's typed errors (the status name is kept as the code).</summary>
    internal static class RivaGrpcErrors
    {
        public static ProviderException Map(RpcException e)
        {
            ProviderErrorKind kind;
            switch (e.StatusCode)
            {
                case StatusCode.Unauthenticated:
                case StatusCode.PermissionDenied: kind = ProviderErrorKind.Authentication; break;
                case StatusCode.ResourceExhausted: kind = ProviderErrorKind.RateLimited; break;
                case StatusCode.InvalidArgument:
                case StatusCode.FailedPrecondition:
                case StatusCode.OutOfRange:
                case StatusCode.NotFound:
                case StatusCode.Unimplemented: kind = ProviderErrorKind.InvalidRequest; break;
                case StatusCode.Unavailable: kind = ProviderErrorKind.Transport; break;
                case StatusCode.DeadlineExceeded: kind = ProviderErrorKind.Stalled; break;
                default: kind = ProviderErrorKind.Server; break;
            }
            return new ProviderException(kind, e.StatusCode.ToString(), "Riva gRPC " + e.StatusCode + ": " + e.Status.Detail, e);
        }

        public static ProviderException Map(Exception e)
        {
            if (e is RpcException rpc) return Map(rpc);
            if (e is ProviderException p) return p;
            return new ProviderException(ProviderErrorKind.Transport, "transport", "Riva gRPC failed: " + e.Message, e);
        }
    }
}
