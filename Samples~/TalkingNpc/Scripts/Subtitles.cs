using Parley.Unity.Agent;
using UnityEngine;

namespace Parley.Samples.TalkingNpc
{
    /// <summary>
    /// Subtitles from the agent's transcripts: the NPC's words as they stream, the player's as they are recognised
    /// (partial, then final). A line fades after <see cref="HoldSeconds"/> of silence. Also lists the inventory.
    /// </summary>
    [AddComponentMenu("Parley Samples/Subtitles")]
    public sealed class Subtitles : MonoBehaviour
    {
        [SerializeField] VoiceAgent agent;
        [SerializeField] ItemGiver items;
        [SerializeField, Tooltip("The speaker's name shown before the NPC's lines.")]
        string npcName = "Innkeeper";
        [SerializeField, Min(0.5f)] float holdSeconds = 4f;

        string _npc = string.Empty, _player = string.Empty;
        double _npcAt = double.NegativeInfinity, _playerAt = double.NegativeInfinity;

        public float HoldSeconds { get => holdSeconds; set => holdSeconds = value; }
        public string NpcName { get => npcName; set => npcName = value; }

        public void Bind(VoiceAgent voiceAgent, ItemGiver giver)
        {
            if (agent != null) { agent.AgentTranscript -= OnNpc; agent.UserTranscript -= OnPlayer; }
            agent = voiceAgent;
            items = giver;
            if (isActiveAndEnabled) Subscribe();
        }

        void OnEnable() => Subscribe();

        void OnDisable()
        {
            if (agent == null) return;
            agent.AgentTranscript -= OnNpc;
            agent.UserTranscript -= OnPlayer;
        }

        void Subscribe()
        {
            if (agent == null) return;
            agent.AgentTranscript -= OnNpc; agent.UserTranscript -= OnPlayer;   // never twice
            agent.AgentTranscript += OnNpc;
            agent.UserTranscript += OnPlayer;
        }

        void OnNpc(string text, bool final) { _npc = text; _npcAt = Time.unscaledTimeAsDouble; }
        void OnPlayer(string text, bool final) { _player = text; _playerAt = Time.unscaledTimeAsDouble; }

        bool Showing(double at) => Time.unscaledTimeAsDouble - at < holdSeconds;

        /// <summary>The NPC's subtitle on screen now ("Innkeeper: …"); empty when none is shown.</summary>
        public string NpcLine => Showing(_npcAt) && _npc.Length > 0 ? npcName + ": " + _npc : string.Empty;
        /// <summary>The player's subtitle on screen now ("You: …"); empty when none is shown.</summary>
        public string PlayerLine => Showing(_playerAt) && _player.Length > 0 ? "You: " + _player : string.Empty;

        void OnGUI()
        {
            var npc = NpcLine;
            var player = PlayerLine;
            if (npc.Length > 0) GUI.Box(new Rect(40, Screen.height - 120, Screen.width - 80, 50), npc);
            if (player.Length > 0) GUI.Label(new Rect(40, Screen.height - 62, Screen.width - 80, 40), player);
            if (items != null && items.Inventory.Count > 0) GUI.Label(new Rect(10, 10, 400, 24), "You carry: " + string.Join(", ", items.Inventory));
            if (agent != null) GUI.Label(new Rect(10, 34, 400, 24), agent.IsConversing ? "Talk to the innkeeper (" + agent.State + ")" : "Not connected.");
        }
    }
}
