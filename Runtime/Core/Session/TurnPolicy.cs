using System;
using Parley.Providers;

namespace Parley.Session
{
    /// <summary>Who decides when the player's turn ends.</summary>
    public enum TurnTaking
    {
        /// <summary>The provider's voice activity detection (OpenAI server_vad, Gemini automatic activity detection).</summary>
        ServerVad,
        /// <summary>The provider judges from meaning too (OpenAI semantic_vad).</summary>
        SemanticVad,
        /// <summary>The game marks each turn: <see cref="VoiceSession.BeginUserTurn"/> / <see cref="VoiceSession.EndUserTurn"/>.</summary>
        PushToTalk,
        /// <summary>
        /// A local VAD in the capture front end marks the turns (sent as manual turns). Needs an
        /// <see cref="ICaptureFrontEnd"/> that reports voice activity.
        /// </summary>
        LocalVad,
    }

    /// <summary>A turn policy the provider cannot serve, or a session option that contradicts it.</summary>
    public sealed class SessionConfigurationException : Exception
    {
        public SessionConfigurationException(string message) : base(message) { }
    }

    /// <summary>Maps a <see cref="TurnTaking"/> choice onto what the provider reports it can do.</summary>
    public static class TurnPolicy
    {
        /// <summary>The provider turn-detection mode for <paramref name="taking"/>, or a typed error naming what the provider supports.</summary>
        public static TurnDetectionMode Resolve(TurnTaking taking, ProviderCapabilities caps, string providerName)
        {
            TurnDetectionMode mode;
            switch (taking)
            {
                case TurnTaking.ServerVad: mode = TurnDetectionMode.ServerVad; break;
                case TurnTaking.SemanticVad: mode = TurnDetectionMode.SemanticVad; break;
                case TurnTaking.PushToTalk:
                case TurnTaking.LocalVad: mode = TurnDetectionMode.Manual; break;
                default: throw new ArgumentOutOfRangeException(nameof(taking));
            }
            if (!caps.Supports(mode))
                throw new SessionConfigurationException("Provider '" + providerName + "' cannot do " + taking +
                    " turn taking; it supports: " + Describe(caps) + ".");
            return mode;
        }

        /// <summary>Stable snake_case name (events, files): server_vad, semantic_vad, push_to_talk, local_vad.</summary>
        public static string Name(TurnTaking taking)
        {
            switch (taking)
            {
                case TurnTaking.ServerVad: return "server_vad";
                case TurnTaking.SemanticVad: return "semantic_vad";
                case TurnTaking.PushToTalk: return "push_to_talk";
                default: return "local_vad";
            }
        }

        /// <summary>The turn-taking choices <paramref name="caps"/> allow, for messages and UI.</summary>
        public static string Describe(ProviderCapabilities caps)
        {
            var s = "";
            if (caps.ServerTurnDetection) s += "ServerVad";
            if (caps.SemanticTurnDetection) s += (s.Length > 0 ? ", " : "") + "SemanticVad";
            if (caps.ManualTurns) s += (s.Length > 0 ? ", " : "") + "PushToTalk, LocalVad";
            return s.Length == 0 ? "none" : s;
        }
    }
}
