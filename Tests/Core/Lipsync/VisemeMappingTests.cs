using System;
using NUnit.Framework;
using Parley.Lipsync;

namespace Parley.Tests.Lipsync
{
    public class VisemeMappingTests
    {
        [TestCase("oculus", 15)]
        [TestCase("arkit", 17)]
        [TestCase("vrm", 5)]
        [TestCase("rhubarb", 9)]
        public void PresetLoadsAndCoversEveryViseme(string name, int targets)
        {
            var m = VisemeMapping.Preset(name);
            Assert.That(m.Targets.Count, Is.EqualTo(targets));
            for (var v = 0; v < Visemes.Count; v++)
            {
                Assert.That(m.Defines(v), Is.True, name + " has no column for " + Visemes.Names[v]);
                // Rest is the neutral face (no shape) except where the set has a rest shape (Oculus sil, Rhubarb X);
                // VRM's five expressions are all open vowels, so the closed visemes drive none of them.
                if (v == (int)Viseme.Sil && (name == "arkit" || name == "vrm")) continue;
                if (v == (int)Viseme.PP && name == "vrm") continue;
                var driven = false;
                for (var t = 0; t < m.Targets.Count; t++) driven |= m.Amount(t, v) > 0f;
                Assert.That(driven, Is.True, name + " ignores viseme " + Visemes.Names[v]);
            }
        }

        [Test]
        public void VrmTargetsAreItsFiveVowelExpressions()
        {
            Assert.That(VisemeMapping.Preset("vrm").Targets, Is.EqualTo(new[] { "aa", "ih", "ou", "ee", "oh" }));
        }

        [Test]
        public void RhubarbShapesFollowItsGuide()
        {
            var m = VisemeMapping.Preset("rhubarb");
            Assert.That(m.Targets, Is.EqualTo(new[] { "A", "B", "C", "D", "E", "F", "G", "H", "X" }));
            var weights = new float[Visemes.Count];
            var shapes = new float[m.Targets.Count];
            // One-hot visemes land on Rhubarb's documented shapes: P/B/M closed (A), AA wide (D), F/V (G), rest (X).
            foreach (var (viseme, shape) in new[] { (Viseme.PP, "A"), (Viseme.Aa, "D"), (Viseme.FF, "G"), (Viseme.Sil, "X"), (Viseme.Ou, "F") })
            {
                Array.Clear(weights, 0, weights.Length);
                weights[(int)viseme] = 1f;
                m.Apply(weights, shapes);
                var best = 0;
                for (var t = 1; t < shapes.Length; t++) if (shapes[t] > shapes[best]) best = t;
                Assert.That(m.Targets[best], Is.EqualTo(shape), viseme.ToString());
            }
        }

        [Test]
        public void OculusIsTheIdentity()
        {
            var m = VisemeMapping.Preset("OCULUS");
            Assert.That(m.Targets, Is.EqualTo(Visemes.Names));
            var weights = new float[Visemes.Count];
            for (var v = 0; v < weights.Length; v++) weights[v] = v / 20f;
            var output = new float[15];
            m.Apply(weights, output);
            Assert.That(output, Is.EqualTo(weights));
        }

        [Test]
        public void ARigCanBringItsOwnMapping()
        {
            var m = VisemeMapping.Parse("my-rig", "# a two-shape rig\ntarget,aa,oh,PP\nMouthOpen,1,0.8,\nLipsTogether,,,1.5\n");
            Assert.That(m.Targets, Is.EqualTo(new[] { "MouthOpen", "LipsTogether" }));
            var weights = new float[Visemes.Count];
            weights[(int)Viseme.Oh] = 0.5f;
            weights[(int)Viseme.PP] = 0.9f;
            var output = new float[2];
            m.Apply(weights, output);
            Assert.That(output[0], Is.EqualTo(0.4f).Within(1e-6f));
            Assert.That(output[1], Is.EqualTo(1f), "clamped to 1");
        }

        [TestCase("target,aa,zz\nOpen,1,1\n", "line 1")]
        [TestCase("target,aa\nOpen,1,2\n", "line 2")]
        [TestCase("target,aa\nOpen,wide\n", "line 2")]
        [TestCase("shape,aa\nOpen,1\n", "line 1")]
        [TestCase("target,aa\n", "no targets")]
        public void BadMappingIsATypedErrorNamingTheLine(string csv, string expected)
        {
            var e = Assert.Throws<FormatException>(() => VisemeMapping.Parse("bad", csv));
            Assert.That(e.Message, Does.Contain(expected));
        }

        [Test]
        public void UnknownPresetIsATypedError()
        {
            Assert.Throws<ArgumentException>(() => VisemeMapping.Preset("blendshapes"));
        }
    }
}
