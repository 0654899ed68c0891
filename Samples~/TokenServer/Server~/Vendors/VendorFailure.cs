using System;

namespace Parley.TokenServer.Vendors
{
    /// <summary>
    /// Why a vendor call failed, already mapped to what the player gets. The message is written by this server,
    /// never copied from the vendor: OpenAI's 401 body quotes part of the key ("Incorrect API key provided: sk-…").
    /// </summary>
    public sealed class VendorFailure : Exception
    {
        public readonly int Status;
        public readonly string Code;
        /// <summary>The vendor's HTTP status (0 when it was not reached).</summary>
        public readonly int VendorStatus;
        public readonly TimeSpan? RetryAfter;

        public VendorFailure(int status, string code, string message, int vendorStatus = 0, TimeSpan? retryAfter = null) : base(message)
        {
            Status = status;
            Code = code;
            VendorStatus = vendorStatus;
            RetryAfter = retryAfter;
        }

        /// <summary>The player-facing status for a vendor's error status.</summary>
        public static VendorFailure FromVendorStatus(string vendor, int code, bool keyInvalid, TimeSpan? retryAfter)
        {
            switch (keyInvalid ? 401 : code)
            {
                case 401:
                case 403:
                    return new VendorFailure(502, "vendor_rejected_key", "The " + vendor + " API rejected the token server's API key (HTTP " + code
                                                 + "). The server's operator must check its " + (vendor == "openai" ? EnvironmentKeys.OpenAI : EnvironmentKeys.Gemini) + ".", code);
                case 429:
                    return new VendorFailure(503, "vendor_rate_limited", "The " + vendor + " API is rate-limiting the token server (HTTP 429). Try again later.", code, retryAfter ?? TimeSpan.FromSeconds(30));
                default:
                    return code >= 500
                        ? new VendorFailure(503, "vendor_unavailable", "The " + vendor + " API is unavailable (HTTP " + code + "). Try again later.", code, retryAfter)
                        : new VendorFailure(502, "vendor_error", "The " + vendor + " API refused the token request (HTTP " + code + ").", code);
            }
        }
    }
}
