using System;

namespace Parley.TokenServer.Vendors
{
    /// <summary>A minted secret: what the player's game connects with, and when it stops opening sessions.</summary>
    public readonly struct VendorToken
    {
        public readonly string Value;
        public readonly DateTimeOffset ExpiresAt;

        public VendorToken(string value, DateTimeOffset expiresAt)
        {
            Value = value;
            ExpiresAt = expiresAt;
        }

        public override string ToString() => "(token, expires " + ExpiresAt.ToString("O") + ")";
    }
}
