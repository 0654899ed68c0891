using System;
using Grpc.Core;
using Parley.Providers;
using Parley.Providers.Connection;

namespace Parley.RivaGrpc
{
    /// <summary>gRPC status → Parley's typed errors (the status name is kept as the code).</summary>
    internal static class RivaGrpcErrors
    {
        /// <summary>Through the one error table (<see cref="ConnectionErrors.FromGrpcStatus"/>), as every provider maps its failures.</summary>
        public static ProviderException Map(RpcException e) =>
            ConnectionErrors.ToException(ConnectionErrors.FromGrpcStatus((int)e.StatusCode, e.StatusCode.ToString(), e.Status.Detail), e);

        public static ProviderException Map(Exception e)
        {
            if (e is RpcException rpc) return Map(rpc);
            if (e is ProviderException p) return p;
            return new ProviderException(ProviderErrorKind.Transport, "transport", "Riva gRPC failed: " + e.Message, e);
        }
    }
}
