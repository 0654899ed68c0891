using System;
using System.Linq;
using NUnit.Framework;
using Parley.Lipsync;
using Parley.Simulation;
using Parley.Samples.TalkingNpc;
using Parley.Tests.Simulation;
using Parley.Tests.Support;
using Parley.Unity.Voice;
using UnityEngine;

namespace Parley.Tests.HostOnly.Samples
{
    /// <summary>
    /// The Talking NPC sample's face: the procedural mouth has the VRM vowel shapes a lipsync preset drives, shaped
    /// as the vowels are (open "aa", wide "ee", small round "ou"), and in the simulated player the package's
    /// BlendShapeLipSync opens it while the NPC's voice plays and closes it after.
    /// </summary>
    public class TalkingNpcFaceTests : SimulationFixture
    {
        static (float Width, float Height, float Top) Opening(Vector3[] v)
        {
            var rim = v.Skip(1).ToArray();
            return (rim.Max(p => p.x) - rim.Min(p => p.x), rim.Max(p => p.y) - rim.Min(p => p.y), rim.Max(p => p.y));
        }

        [Test]
        public void The_mouth_has_the_VRM_vowels_shaped_like_the_vowels_and_faces_the_player()
        {
            StartPlayer();
            var mesh = MouthMesh.Build();
            var names = Enumerable.Range(0, mesh.blendShapeCount).Select(mesh.GetBlendShapeName).ToArray();
            Assert.That(names, Is.EquivalentTo(VisemeMapping.Preset("vrm").Targets), "every target of the Vrm preset, by name");
            Assert.That(mesh.vertices.Length, Is.EqualTo(MouthMesh.RimPoints + 1));

            var rest = Opening(MouthMesh.RestVertices());
            Assert.That(rest.Height, Is.LessThan(0.005f), "closed at rest");
            var shape = MouthMesh.Shapes.Select((s, i) => (s.Name, Opening(MouthMesh.ShapeVertices(i)))).ToDictionary(x => x.Name, x => x.Item2);
            Assert.That(shape.OrderByDescending(s => s.Value.Height).First().Key, Is.EqualTo("aa"), "the open vowel opens most");
            Assert.That(shape.OrderByDescending(s => s.Value.Width).First().Key, Is.EqualTo("ee"), "the spread vowel is widest");
            Assert.That(shape.OrderBy(s => s.Value.Width).First().Key, Is.EqualTo("ou"), "the rounded close vowel is narrowest");
            foreach (var s in shape) Assert.That(s.Value.Top, Is.EqualTo(rest.Top).Within(0.001f), s.Key + ": the jaw moves, not the upper lip");

            // Front faces towards -z (the player): clockwise on screen (x right, y up), i.e. negative signed area.
            var v = MouthMesh.RestVertices();
            var t = MouthMesh.Triangles();
            for (var i = 0; i < t.Length; i += 3)
            {
                var a = v[t[i]]; var b = v[t[i + 1]]; var c = v[t[i + 2]];
                Assert.That((b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x), Is.LessThan(0f), "triangle " + i / 3);
            }
        }

        [Test]
        public void The_lipsync_opens_the_procedural_mouth_while_the_NPC_speaks_and_closes_it_after()
        {
            StartPlayer(new SimulatedPlayerOptions { Seed = 21 });
            ObjectWithListener();
            var mouth = NpcFace.Build(new Vector3(0f, 1.6f, 2f));
            var npc = new GameObject("NPC");
            var voice = npc.AddComponent<AgentVoice>();
            var lips = NpcFace.AddLipSync(npc, mouth);
            voice.Attach(48000);
            Player.RunFor(0.3);
            var speech = TestWav.Speech("npc-price", 48000).Samples;
            var pcm = speech.Select(x => (short)Math.Round(Math.Max(-1f, Math.Min(1f, x)) * 32767)).ToArray();
            Assert.That(voice.Write("reply", pcm), Is.True);
            voice.EndItem("reply");
            var speechEndsAt = Player.Now + speech.Length / 48000.0;
            Player.RunFor(speech.Length / 48000.0 + 1.0);

            Assert.That(lips.TargetBlendShapes.ToArray().OrderBy(i => i), Is.EqualTo(new[] { 0, 1, 2, 3, 4 }), "all five shapes found by name");
            var set = Player.BlendShapes.Where(r => r.Renderer == mouth).ToList();
            Assert.That(set, Is.Not.Empty);
            var aa = Array.FindIndex(MouthMesh.Shapes, s => s.Name == "aa");
            var open = set.Where(r => r.Time < speechEndsAt).GroupBy(r => r.Frame).Select(f => f.Sum(r => r.Weight)).ToList();
            Assert.That(open.Max(), Is.GreaterThan(50f), "the mouth opens while the NPC speaks (sum of shape weights, 0..100 each)");
            Assert.That(set.Where(r => r.Index == aa).Max(r => r.Weight), Is.GreaterThan(20f), "\"aa\" is used");
            var last = set.Where(r => r.Time > speechEndsAt + 0.6).GroupBy(r => r.Index).Select(g => g.Last().Weight).ToList();
            Assert.That(last, Is.Not.Empty);
            Assert.That(last.Max(), Is.LessThan(5f), "closed again after the reply");
        }
    }
}
