using System;
using Parley.Cli.Commands;
using Parley.Audio;
using Parley.Cli.Talk;
using Parley.Session.Audio;
using Parley.Session;
using Parley.Simulation;
using Parley.Unity.Agent;
using Parley.Lipsync;
using Parley.Unity.Capture;
using Parley.Unity.Lipsync;
using UnityEngine;

namespace Parley.Cli.Scene
{
    /// <summary>
    /// The scene `parley scene` plays, built as a game would build it: a simulated player (Parley.Simulation) with a
    /// microphone device that hears the player's audio, a camera with the AudioListener, and an NPC with
    /// <see cref="MicrophoneCapture"/> on that device and a <see cref="VoiceAgent"/> (which adds its AudioSource and
    /// <see cref="Parley.Unity.Voice.AgentVoice"/>); with --blendshapes, a face (a mesh whose blend shapes are a shipped
    /// mapping's targets, declared with Mesh.AddBlendShapeFrame) driven by <see cref="BlendShapeLipSync"/>.
    /// </summary>
    sealed class SimulatedScene : IDisposable
    {
        public const string MicrophoneName = "Simulated Microphone";

        public readonly SimulatedPlayer Player;
        public readonly SimulatedMicrophone Mic;
        public readonly GameObject Npc;
        public readonly MicrophoneCapture Capture;
        public readonly VoiceAgent Agent;
        /// <summary>The face and its lipsync (null without --blendshapes).</summary>
        public readonly SkinnedMeshRenderer Face;
        public readonly BlendShapeLipSync Lips;
        /// <summary>The speakers heard by the microphone through --echo's room (null without --echo).</summary>
        public readonly ListenerEcho Echo;

        /// <param name="micInput">What the microphone hears: mono at <paramref name="micInputRate"/> (the device converts it to the clip's rate).</param>
        /// <param name="impulse">--echo: the room between the speakers and the microphone (null: none).</param>
        public SimulatedScene(SceneOptions o, TalkSetup setup, float[] micInput, int micInputRate, WavFile impulse = null)
        {
            Player = new SimulatedPlayer(new SimulatedPlayerOptions
            {
                OutputSampleRate = o.OutputRate, DspBufferSize = o.DspBuffer, FramesPerSecond = o.Fps, Seed = (ulong)o.Seed,
                PersistentDataPath = o.EchoRoom,
            });
            try
            {
                // The room goes on while the device is unplugged: after a re-plug it hears the input from then on.
                Mic = Player.AddMicrophone(new SimulatedMicrophone(MicrophoneName, micInput, micInputRate) { InputOnPlayerClock = true });
                // --echo: what the listener hears leaves the speakers, goes through the room and into the microphone.
                if (impulse != null)
                {
                    Echo = new ListenerEcho(Player, rate => EchoPath.FromImpulse(impulse.Samples, impulse.SampleRate, rate, o.EchoGain).Process);
                    Mic.Room = Echo;
                }
                new GameObject("Main Camera").AddComponent<AudioListener>();

                // Configured while inactive, as a prefab's serialized fields would be, then enabled: OnEnable starts both.
                Npc = new GameObject("NPC");
                Npc.SetActive(false);
                Capture = Npc.AddComponent<MicrophoneCapture>();
                Capture.DeviceName = MicrophoneName;
                Capture.RequestedSampleRate = o.MicRate;
                // --echo-room: the learnt echo path written when the conversation ends and read by the next run, as a game does.
                Capture.KeepEchoPathBetweenRuns = o.EchoRoom != null;
                Agent = Npc.AddComponent<VoiceAgent>();
                var profile = ScriptableObject.CreateInstance<CliProfile>();
                profile.Name = setup.Connection.Name;
                profile.Factory = setup.Factory;
                profile.Model = o.Model;
                profile.Voice = o.Voice;
                profile.Instructions = o.Instructions;
                Agent.Profile = profile;
                Agent.TurnTaking = o.Turn == "semantic-vad" ? TurnTaking.SemanticVad : TurnTaking.ServerVad;
                // The front end as `talk` builds it: --aec, --duplex, --vad (Silero through Parley.Onnx, as a game would).
                Agent.EchoCancellation = o.AecOn;
                Agent.DuplexMode = o.Duplex == "half" ? DuplexMode.HalfDuplex : DuplexMode.FullDuplex;
                Agent.LocalVad = o.Vad == "energy" ? LocalVoiceDetection.Energy : o.Vad == "silero" ? LocalVoiceDetection.Custom : LocalVoiceDetection.Provider;
                if (o.Vad == "silero") Agent.VadFactory = () => Parley.Onnx.VadEngines.CreateSileroWithEnergyOnset();
                foreach (var declaration in setup.Tools.Declarations()) Agent.AdditionalTools.Add(setup.Tools.Get(declaration.Name));
                // The player loop runs the session's messages (Update), so its events land on the scene's timeline at
                // any --speed (as `talk` pumps its session inline for the same reason).
                Agent.Loop = SessionLoop.Inline;
                Agent.StartOnEnable = true;
                if (o.Blendshapes != null) (Face, Lips) = AddFace(Npc, o.BlendshapesSet);
            }
            catch
            {
                Player.Dispose();
                throw;
            }
        }

        /// <summary>A face whose blend shapes are the mapping's targets, as a rig named for that set has them.</summary>
        static (SkinnedMeshRenderer, BlendShapeLipSync) AddFace(GameObject npc, string set)
        {
            var mapping = VisemeMapping.Preset(set);
            var mesh = new Mesh { name = "Face (" + mapping.Name + ")" };
            foreach (var target in mapping.Targets) mesh.AddBlendShapeFrame(target, 100f, null, null, null);
            var face = npc.AddComponent<SkinnedMeshRenderer>();
            face.sharedMesh = mesh;
            var lips = npc.AddComponent<BlendShapeLipSync>();
            lips.SkinnedMesh = face;
            lips.MappingPreset = (BlendShapeLipSync.Preset)Enum.Parse(typeof(BlendShapeLipSync.Preset), set, true);
            return (face, lips);
        }

        /// <summary>Enables the NPC (the microphone starts and the agent connects) and schedules the unplug, re-plug and
        /// --context-at notes (the game calls VoiceAgent.AddContext on the player's clock).</summary>
        /// <summary>Raised on the main thread just before the game calls VoiceAgent.AddContext for a --context-at note.</summary>
        public event Action<string> GivingContext;

        public void Start(SceneOptions o)
        {
            if (o.UnplugAtMs >= 0) Player.At(o.UnplugAtMs / 1000.0, Mic.Unplug);
            if (o.ReplugAtMs >= 0) Player.At(o.ReplugAtMs / 1000.0, Mic.Replug);
            foreach (var (ms, text) in o.ContextNotes) Player.At(ms / 1000.0, () => { GivingContext?.Invoke(text); Agent.AddContext(text); });
            Npc.SetActive(true);
        }

        /// <summary>Quits the player: every component is disabled and destroyed (the agent lets go of its socket).</summary>
        public void Dispose()
        {
            Echo?.Dispose();
            Player.Dispose();
        }
    }
}
