using Parley.Samples.XRTrainer.Scoring;
using Parley.Session;
using Parley.Unity.Agent;
using Parley.Unity.Profiles;
using UnityEngine;

namespace Parley.Samples.XRTrainer
{
    /// <summary>
    /// The only object in the scene: builds the training room (camera, light, floor, a burning wastebasket, an
    /// extinguisher), the instructor (a VoiceAgent in push-to-talk mode) and the drill, then starts the
    /// conversation. In the editor the key comes from OPENAI_API_KEY or the editor key store (EditorPrefs); a build needs
    /// <see cref="tokenUrl"/> (see the Token Server sample).
    /// </summary>
    [AddComponentMenu("Parley Samples/XR Trainer Bootstrap")]
    public sealed class TrainerBootstrap : MonoBehaviour
    {
        [SerializeField, Tooltip("Provider of the instructor's voice; empty = an OpenAI Realtime profile made at runtime.")]
        VoiceProfile profile;
        [SerializeField, Tooltip("Builds: your backend's token endpoint (never a key).")]
        string tokenUrl = string.Empty;
        [SerializeField, Tooltip("Build the camera and light too (off when the scene already has an XR rig).")]
        bool buildCamera = true;

        public VoiceProfile Profile { get => profile; set => profile = value; }
        public VoiceAgent Agent { get; private set; }
        public DrillController Drill { get; private set; }

        void Start()
        {
            if (buildCamera)
            {
                var eye = new GameObject("Trainee Camera", typeof(Camera), typeof(AudioListener));
                eye.transform.position = new Vector3(0f, 1.6f, -2.2f);
                new GameObject("Light", typeof(Light)).GetComponent<Light>().type = LightType.Directional;
            }
            var floor = GameObject.CreatePrimitive(PrimitiveType.Plane);
            floor.name = "Floor";
            Prop(PrimitiveType.Cylinder, "Wastebasket", new Vector3(0.6f, 0.2f, 0f), new Vector3(0.35f, 0.2f, 0.35f), new Color(0.35f, 0.35f, 0.38f));
            Prop(PrimitiveType.Sphere, "Fire", new Vector3(0.6f, 0.55f, 0f), new Vector3(0.45f, 0.5f, 0.45f), new Color(1f, 0.45f, 0.05f));
            Prop(PrimitiveType.Capsule, "Extinguisher", new Vector3(-0.7f, 0.9f, 0.4f), new Vector3(0.18f, 0.3f, 0.18f), new Color(0.8f, 0.05f, 0.05f));

            var instructor = new GameObject("Instructor", typeof(AudioSource));
            instructor.transform.position = new Vector3(-1.2f, 1.6f, 0.8f);
            var source = instructor.GetComponent<AudioSource>();
            source.spatialBlend = 1f;                                    // the voice comes from where the instructor stands
            Agent = instructor.AddComponent<VoiceAgent>();
            Agent.Profile = profile != null ? profile : DefaultProfile();
            Agent.Tokens.Url = tokenUrl;
            Agent.TurnTaking = TurnTaking.PushToTalk;
            Agent.BargeIn = true;
            Agent.IdleTimeoutSeconds = 0f;                               // a trainee may think for a while
            Agent.OpeningPrompt = "Start the drill: read the briefing.";
            Agent.AddContext(FireExtinguisherDrill.InstructorInstructions);

            var ptt = gameObject.AddComponent<PushToTalk>();
            ptt.Agent = Agent;
            Drill = gameObject.AddComponent<DrillController>();
            Drill.enabled = false;                                       // bound first, so OnEnable subscribes
            Drill.Bind(Agent, ptt);
            Drill.enabled = true;

            Agent.Error += e => Debug.LogWarning("Parley XR Trainer: " + e.Message);
            Agent.StartConversation();
        }

        static VoiceProfile DefaultProfile()
        {
            var p = ScriptableObject.CreateInstance<OpenAIRealtimeProfile>();
            p.name = "Instructor (OpenAI Realtime)";
            p.Voice = "cedar";
            return p;
        }

        static void Prop(PrimitiveType shape, string name, Vector3 position, Vector3 scale, Color color)
        {
            var go = GameObject.CreatePrimitive(shape);
            go.name = name;
            go.transform.position = position;
            go.transform.localScale = scale;
            go.GetComponent<Renderer>().material.color = color;
        }
    }
}
