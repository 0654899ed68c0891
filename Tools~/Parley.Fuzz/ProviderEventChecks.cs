using System;
using Parley.Providers;

namespace Parley.Fuzz
{
    /// <summary>
    /// The listener of the targets that drive a connected provider: counts its typed errors and keeps what must never
    /// reach a host, for <see cref="Check"/> to report as a finding: an internal exception the receive loop had to
    /// catch (<c>handler_failed</c>), and a tool call that could never be answered (the providers'
    /// <c>SendToolResultAsync</c> refuses a call without an id, and no tool is chosen without a name).
    /// </summary>
    class ProviderEventChecks : IProviderListener
    {
        public volatile bool Disconnected;
        public int Errors;
        protected string Internal;

        public void Clear()
        {
            Errors = 0;
            Internal = null;
        }

        public void Check()
        {
            if (Internal != null) throw new FuzzFinding("Internal exception reached the host: " + Internal);
        }

        public virtual void OnEvent(ProviderEvent e)
        {
            if (e is Parley.Providers.Disconnected) Disconnected = true;
            if (e is ToolCallRequested call && (string.IsNullOrEmpty(call.CallId) || string.IsNullOrEmpty(call.Name)))
                Internal = "a tool call that cannot be answered (id '" + call.CallId + "', name '" + call.Name + "')";
            if (e is ProviderError error)
            {
                Errors++;
                if (error.Code == "handler_failed") Internal = error.Message;
            }
        }

        public virtual void OnAudio(string itemId, ReadOnlySpan<short> pcm) { }
    }
}
