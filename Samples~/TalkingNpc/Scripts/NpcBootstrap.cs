using Parley.Session;
using Parley.Unity.Agent;
using Parley.Unity.Profiles;
using UnityEngine;

namespace Parley.Samples.TalkingNpc
{
    /// <summary>
    /// The only object in the scene: builds the player's camera, a light, a floor and the NPC — a face with a mouth
    /// made at run time and driven by lipsync, a spatial voice, an item it can hand over (a tool) — and subtitles,
    /// then starts the conversation (the NPC greets the player). In the editor the key comes from
    /// OPENAI_API_KEY or the editor key store (EditorPrefs); a build needs <see cref="tokenUrl"/> (see the Token Server sample).
    /// </summary>
    [AddComponentMenu("Parley Samples/Talking NPC Bootstrap")]
    public sealed class NpcBootstrap : MonoBehaviour
    {
        [SerializeField, Tooltip("The NPC's provider; empty = an OpenAI Realtime profile made at run time.")]
        VoiceProfile profile;
        [SerializeField, Tooltip("Builds: your backend's token endpoint (never a key).")]
        string tokenUrl = string.Empty;
        [SerializeField, Tooltip("Where the NPC stands; the player's camera is 2 m in front of the origin.")]
        Vector3 npcPosition = new Vector3(0.6f, 1.6f, 0f);

        public VoiceProfile Profile { get => profile; set => profile = value; }
        public VoiceAgent Agent { get; private set; }
        public ItemGiver Items { get; private set; }

        void Start()
        {
            var player = new GameObject("Player Camera", typeof(Camera), typeof(AudioListener));
            player.transform.position = new Vector3(0f, 1.6f, -2f);
            new GameObject("Light", typeof(Light)).GetComponent<Light>().type = LightType.Directional;
            GameObject.CreatePrimitive(PrimitiveType.Plane).name = "Floor";

            var mouth = NpcFace.Build(npcPosition);
            var npc = new GameObject("Innkeeper", typeof(AudioSource));
            npc.transform.position = npcPosition;
            var voice = npc.GetComponent<AudioSource>();
            voice.spatialBlend = 1f;                                  // heard from where the NPC stands
            Items = npc.AddComponent<ItemGiver>();
            Items.Player = player.transform;

            Agent = npc.AddComponent<VoiceAgent>();                   // adds its AgentVoice
            NpcFace.AddLipSync(npc, mouth);
            Agent.Profile = profile != null ? profile : DefaultProfile();
            Agent.Tokens.Url = tokenUrl;
            Agent.TurnTaking = TurnTaking.ServerVad;
            Agent.ToolTargets = new MonoBehaviour[] { Items };
            Agent.OpeningPrompt = "(The player walks up to the bar.)";
            Agent.AddContext("You are Mara, the innkeeper of the Crooked Lantern, talking with a traveller by voice. Keep answers to " +
                             "one or two sentences. You can give the traveller one of these, if they ask nicely or need it: " +
                             Items.StockList() + ". To give something, call give_item; never say you gave something you did not.");

            gameObject.AddComponent<Subtitles>().Bind(Agent, Items);
            Agent.Error += e => Debug.LogWarning("Parley Talking NPC: " + e.Message);
            Agent.StartConversation();
        }

        static VoiceProfile DefaultProfile()
        {
            var p = ScriptableObject.CreateInstance<OpenAIRealtimeProfile>();
            p.name = "Innkeeper (OpenAI Realtime)";
            p.Voice = "marin";
            return p;
        }
    }
}
