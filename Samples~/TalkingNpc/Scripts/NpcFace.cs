using Parley.Unity.Lipsync;
using UnityEngine;

namespace Parley.Samples.TalkingNpc
{
    /// <summary>
    /// A face from built-in parts: a sphere head, two sphere eyes and the procedural <see cref="MouthMesh"/> on a
    /// SkinnedMeshRenderer (blend shapes without bones). <see cref="AddLipSync"/> is the one place the mouth is tied
    /// to the agent's voice.
    /// </summary>
    public static class NpcFace
    {
        /// <summary>Builds the face around <paramref name="headCentre"/> (facing -z, towards the player) and returns the mouth.</summary>
        public static SkinnedMeshRenderer Build(Vector3 headCentre)
        {
            var head = GameObject.CreatePrimitive(PrimitiveType.Sphere);
            head.name = "Head";
            head.transform.position = headCentre;
            head.transform.localScale = new Vector3(0.5f, 0.5f, 0.5f);
            var skin = head.GetComponent<Renderer>();
            skin.material.color = new Color(0.93f, 0.76f, 0.62f);

            foreach (var side in new[] { -1f, 1f })
            {
                var eye = GameObject.CreatePrimitive(PrimitiveType.Sphere);
                eye.name = side < 0 ? "Eye L" : "Eye R";
                eye.transform.position = new Vector3(headCentre.x + side * 0.08f, headCentre.y + 0.06f, headCentre.z - 0.21f);
                eye.transform.localScale = new Vector3(0.06f, 0.06f, 0.06f);
                eye.GetComponent<Renderer>().material.color = new Color(0.1f, 0.08f, 0.07f);
            }

            var mouth = new GameObject("Mouth");
            mouth.transform.position = new Vector3(headCentre.x, headCentre.y - 0.09f, headCentre.z - 0.236f);
            var renderer = mouth.AddComponent<SkinnedMeshRenderer>();
            renderer.sharedMesh = MouthMesh.Build();
            // A copy of the head's material (the render pipeline's default), darkened: no shader to look up.
            renderer.sharedMaterial = new Material(skin.sharedMaterial) { color = new Color(0.25f, 0.05f, 0.06f) };
            return renderer;
        }

        /// <summary>
        /// Drives the mouth from the voice of the agent on <paramref name="npc"/> (its AgentVoice): the VRM preset maps
        /// the analyser's visemes to the aa/ih/ou/ee/oh shapes by name.
        /// </summary>
        public static BlendShapeLipSync AddLipSync(GameObject npc, SkinnedMeshRenderer mouth)
        {
            var lips = npc.AddComponent<BlendShapeLipSync>();
            lips.MappingPreset = BlendShapeLipSync.Preset.Vrm;
            lips.SkinnedMesh = mouth;
            return lips;
        }
    }
}
