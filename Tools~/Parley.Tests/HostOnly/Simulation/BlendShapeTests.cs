using System.Linq;
using NUnit.Framework;
using Parley.Simulation;
using UnityEngine;

namespace Parley.Tests.Simulation
{
    /// <summary>SkinnedMeshRenderer blend shapes (api-signatures.md §8): every weight set is recorded with its frame and time.</summary>
    public class BlendShapeTests : SimulationFixture
    {
        public sealed class Mouth : MonoBehaviour
        {
            public SkinnedMeshRenderer Face;
            void Update() => Face.SetBlendShapeWeight(1, Time.frameCount * 10f);
        }

        [Test]
        public void Weights_set_each_frame_are_recorded_in_order_with_frame_and_time()
        {
            StartPlayer(new SimulatedPlayerOptions { FrameJitter = 0 });
            var mesh = new Mesh();
            mesh.AddBlendShapeFrame("viseme_sil", 100f, new Vector3[0], null, null);
            mesh.AddBlendShapeFrame("viseme_aa", 100f, new Vector3[0], null, null);
            var go = new GameObject("Head");
            var face = go.AddComponent<SkinnedMeshRenderer>();
            face.sharedMesh = mesh;
            go.AddComponent<Mouth>().Face = face;

            Player.RunFrames(3);

            Assert.That(mesh.GetBlendShapeIndex("viseme_aa"), Is.EqualTo(1));
            Assert.That(mesh.GetBlendShapeIndex("viseme_oh"), Is.EqualTo(-1));
            Assert.That(Player.BlendShapes.Select(r => (r.Frame, r.Index, r.Weight)), Is.EqualTo(new[] { (1, 1, 10f), (2, 1, 20f), (3, 1, 30f) }));
            Assert.That(Player.BlendShapes.Select(r => r.Time), Is.EqualTo(new[] { 0.0, 1.0 / 60, 2.0 / 60 }).Within(1e-9));
            Assert.That(Player.BlendShapes.All(r => ReferenceEquals(r.Renderer, face)), Is.True);
            Assert.That(face.GetBlendShapeWeight(1), Is.EqualTo(30f));
        }

        [Test]
        public void An_index_outside_the_mesh_is_reported_and_changes_nothing()
        {
            StartPlayer();
            SimulatedConsole.Clear();
            var mesh = new Mesh();
            mesh.AddBlendShapeFrame("only", 100f, new Vector3[0], null, null);
            var face = new GameObject("Head").AddComponent<SkinnedMeshRenderer>();
            face.sharedMesh = mesh;
            face.SetBlendShapeWeight(3, 50f);
            Assert.That(Player.BlendShapes, Is.Empty);
            Assert.That(face.GetBlendShapeWeight(3), Is.EqualTo(0f));
            Assert.That(SimulatedConsole.Snapshot().Any(l => l.StartsWith("Error:", System.StringComparison.Ordinal)), Is.True);
        }
    }
}
