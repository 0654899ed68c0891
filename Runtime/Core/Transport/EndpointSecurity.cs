using System;
using System.Net;

namespace Parley.Transport
{
    /// <summary>
    /// wss:// and https:// by default; plain ws:// or http:// only to a loopback address, or when the caller
    /// opts in explicitly (a self-hosted server on a LAN), in which case the caller is told to warn.
    /// </summary>
    public static class EndpointSecurity
    {
        public static bool IsLoopback(Uri uri)
        {
            if (uri.IsLoopback) return true;
            return IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip);
        }

        public static bool IsEncrypted(Uri uri) =>
            uri.Scheme == "wss" || uri.Scheme == "https";

        /// <summary>Throws <see cref="TransportException"/> (InsecureRefused) for plain text to a remote host without opt-in.</summary>
        /// <returns>True when the connection is plain text to a remote host (allowed by opt-in): warn the user.</returns>
        public static bool Check(Uri uri, bool allowInsecure)
        {
            if (uri == null) throw new ArgumentNullException(nameof(uri));
            if (IsEncrypted(uri) || IsLoopback(uri)) return false;
            if (!allowInsecure)
                throw new TransportException(TransportErrorKind.InsecureRefused,
                    "Refusing plain-text " + uri.Scheme + "://" + uri.Host + ": use wss:// or https://, or allow insecure connections explicitly for a server on your own network.");
            return true;
        }
    }
}
