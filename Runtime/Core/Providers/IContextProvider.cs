using System.Threading;
using System.Threading.Tasks;

namespace Parley.Providers
{
    /// <summary>What became of game context given to <see cref="IContextProvider.AddContextAsync"/> (or the session's call).</summary>
    public enum ContextDelivery
    {
        /// <summary>On the wire: the model has it now (OpenAI system item, Gemini clientContent, Riva LLM history).</summary>
        Sent,
        /// <summary>
        /// Held and sent as soon as it is safe: after the reply in progress (Gemini: clientContent would interrupt
        /// it; Riva: the running LLM request already has its messages) or on the new connection while reconnecting.
        /// </summary>
        Queued,
        /// <summary>
        /// The server takes no context mid-conversation (MiniCPM-o's demo server applies its prompt only when it
        /// starts a new model session): it is in the session's history and reaches the model with the next connection.
        /// </summary>
        Deferred,
    }

    /// <summary>
    /// A provider that can add game context to the conversation <b>without starting a reply</b>. Optional: the session
    /// keeps context in its history for providers without it (delivered when a fresh connection is seeded).
    /// Called on the session's control lane, like the other control calls of <see cref="IVoiceProvider"/>.
    /// </summary>
    public interface IContextProvider
    {
        /// <summary>
        /// Adds <paramref name="text"/> as context (a system/user note, never a turn the model must answer).
        /// Must not request a response. See Documentation~/session.md, "Game context".
        /// </summary>
        Task<ContextDelivery> AddContextAsync(string text, CancellationToken cancellationToken);
    }
}
