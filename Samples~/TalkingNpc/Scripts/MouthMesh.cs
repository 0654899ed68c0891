using System;
using UnityEngine;

namespace Parley.Samples.TalkingNpc
{
    /// <summary>
    /// The NPC's mouth, made at run time: a dark ellipse (a fan of triangles) that is closed at rest and takes the
    /// shape of a vowel through one blend shape per VRM mouth target (aa, ih, ou, ee, oh), so
    /// <c>BlendShapeLipSync</c> with the Vrm preset drives it by name. Each shape is one frame at weight 100 (Unity's
    /// default 0..100 range) whose deltas move the rim from the rest ellipse to the vowel's.
    /// </summary>
    public static class MouthMesh
    {
        /// <summary>Rim points around the ellipse.</summary>
        public const int RimPoints = 24;
        /// <summary>Rest: 9 cm wide, closed (4 mm).</summary>
        public const float RestHalfWidth = 0.045f, RestHalfHeight = 0.002f;

        /// <summary>Half-width and half-height (metres) of the opening for each VRM vowel.</summary>
        public static readonly (string Name, float HalfWidth, float HalfHeight)[] Shapes =
        {
            ("aa", 0.050f, 0.038f),   // open jaw
            ("ih", 0.052f, 0.014f),   // spread, slightly open
            ("ou", 0.022f, 0.018f),   // rounded and pushed forward: small and round
            ("ee", 0.058f, 0.010f),   // widest, nearly closed
            ("oh", 0.035f, 0.030f),   // round, half open
        };

        /// <summary>Rest vertices: the centre, then the rim counter-clockwise from the right corner (z = 0, facing -z).</summary>
        public static Vector3[] RestVertices() => Ellipse(RestHalfWidth, RestHalfHeight);

        /// <summary>The vertices of one vowel at full weight (rest + its blend shape's deltas).</summary>
        public static Vector3[] ShapeVertices(int shape) => Ellipse(Shapes[shape].HalfWidth, Shapes[shape].HalfHeight);

        /// <summary>Triangles of the fan, wound clockwise as seen from -z (Unity's front face).</summary>
        public static int[] Triangles()
        {
            var t = new int[RimPoints * 3];
            for (var i = 0; i < RimPoints; i++)
            {
                t[i * 3] = 0;
                t[i * 3 + 1] = 1 + (i + 1) % RimPoints;
                t[i * 3 + 2] = 1 + i;
            }
            return t;
        }

        /// <summary>Builds the mesh with its five blend shapes.</summary>
        public static Mesh Build()
        {
            var rest = RestVertices();
            var mesh = new Mesh { name = "Procedural Mouth" };
            mesh.vertices = rest;
            mesh.triangles = Triangles();
            mesh.RecalculateNormals();
            mesh.RecalculateBounds();
            var deltas = new Vector3[rest.Length];
            for (var s = 0; s < Shapes.Length; s++)
            {
                var target = ShapeVertices(s);
                for (var v = 0; v < rest.Length; v++)
                    deltas[v] = new Vector3(target[v].x - rest[v].x, target[v].y - rest[v].y, target[v].z - rest[v].z);
                // Unity copies the arrays; normals and tangents stay those of the flat mouth.
                mesh.AddBlendShapeFrame(Shapes[s].Name, 100f, deltas, null, null);
            }
            return mesh;
        }

        /// <summary>
        /// Centre plus rim. The jaw moves, the upper lip barely does: an opening of height 2h is centred h below the
        /// rest line's centre, so the top of the mouth stays where the closed lips meet.
        /// </summary>
        static Vector3[] Ellipse(float halfWidth, float halfHeight)
        {
            var drop = halfHeight - RestHalfHeight;
            var v = new Vector3[RimPoints + 1];
            v[0] = new Vector3(0f, -drop, 0f);
            for (var i = 0; i < RimPoints; i++)
            {
                var a = 2 * Math.PI * i / RimPoints;
                v[1 + i] = new Vector3((float)(halfWidth * Math.Cos(a)), (float)(halfHeight * Math.Sin(a)) - drop, 0f);
            }
            return v;
        }
    }
}
