using Parley.Session;
using Parley.Unity.Agent;
using Parley.Unity.Profiles;
using UnityEngine;

namespace Parley.Samples.SelfHosted
{
    /// <summary>
    /// The only object in the scene: builds a camera, a light and an assistant (a VoiceAgent), and talks to the
    /// self-hosted server of the chosen profile — the Riva cascade or MiniCPM-o, both on this machine by default
    /// (see the README for starting them). Buttons switch servers; the transcripts and the state are on screen.
    /// No key is involved: local servers need none.
    /// </summary>
    [AddComponentMenu("Parley Samples/Self-Hosted Bootstrap")]
    public sealed class SelfHostedBootstrap : MonoBehaviour
    {
        [SerializeField, Tooltip("Profiles to choose from (the sample's assets point at local servers).")]
        VoiceProfile[] profiles = new VoiceProfile[0];
        [SerializeField, Min(0), Tooltip("Index of the profile the scene starts with.")]
        int startWith;

        VoiceAgent _agent;
        VoiceProfile _next;
        string _player = string.Empty;
        string _assistant = string.Empty;
        string _status = string.Empty;

        public VoiceProfile[] Profiles { get => profiles; set => profiles = value ?? new VoiceProfile[0]; }
        public int StartWith { get => startWith; set => startWith = value; }
        public VoiceAgent Agent => _agent;

        void Start()
        {
            new GameObject("Camera", typeof(Camera), typeof(AudioListener)).transform.position = new Vector3(0f, 1.6f, -2f);
            new GameObject("Light", typeof(Light)).GetComponent<Light>().type = LightType.Directional;
            var body = GameObject.CreatePrimitive(PrimitiveType.Capsule);
            body.name = "Assistant";
            body.transform.position = new Vector3(0f, 1f, 0f);
            body.AddComponent<AudioSource>().spatialBlend = 1f;
            _agent = body.AddComponent<VoiceAgent>();
            _agent.TurnTaking = TurnTaking.ServerVad;     // MiniCPM-o ends turns with its own VAD only
            _agent.UserTranscript += (text, final) => _player = text;
            _agent.AgentTranscript += (text, final) => _assistant = text;
            _agent.Error += e => _status = "Error: " + e.Message;
            _agent.ConversationEnded += reason => { if (_next == null) _status = "Conversation ended (" + reason + ")."; };
            if (profiles.Length > 0) Switch(profiles[System.Math.Max(0, System.Math.Min(startWith, profiles.Length - 1))]);
            else _status = "Assign the sample's profiles to the bootstrap.";
        }

        /// <summary>Ends the current conversation and starts one with <paramref name="profile"/> once it has closed.</summary>
        public void Switch(VoiceProfile profile)
        {
            if (profile == null || _agent == null) return;
            _next = profile;
            if (_agent.IsConversing) _agent.EndConversation();
        }

        void Update()
        {
            if (_next == null || _agent == null || _agent.IsConversing) return;
            _agent.Profile = _next;
            _next = null;
            _player = _assistant = string.Empty;
            _status = "Connecting to " + Describe(_agent.Profile) + " ...";
            _agent.StartConversation();
        }

        static string Describe(VoiceProfile p)
        {
            var riva = p as RivaCascadeProfile;
            if (riva != null) return "Riva (ASR " + riva.AsrUrl + ", TTS " + riva.TtsUrl + ", LLM " + riva.LlmUrl + ")";
            var minicpmo = p as MiniCpmoProfile;
            if (minicpmo != null) return "MiniCPM-o (" + minicpmo.ServerUrl + ")";
            return p.name;
        }

        void OnGUI()
        {
            var x = 10f;
            foreach (var p in profiles)
            {
                if (p == null) continue;
                if (GUI.Button(new Rect(x, 10, 220, 30), "Talk to " + p.name)) Switch(p);
                x += 230;
            }
            if (_agent == null) return;
            var state = _agent.State;
            if (state == SessionState.Listening || state == SessionState.UserSpeaking) _status = "Listening to you (" + Describe(_agent.Profile) + ")";
            GUI.Label(new Rect(10, 50, Screen.width - 20, 40), _status);
            if (_agent.Profile is MiniCpmoProfile)
                GUI.Label(new Rect(10, 80, Screen.width - 20, 40), "MiniCPM-o does not hear you while it speaks (half-duplex): wait for it to finish.");
            GUI.Label(new Rect(10, Screen.height - 90, Screen.width - 20, 40), "Assistant: " + _assistant);
            GUI.Label(new Rect(10, Screen.height - 50, Screen.width - 20, 40), "You: " + _player);
        }
    }
}
