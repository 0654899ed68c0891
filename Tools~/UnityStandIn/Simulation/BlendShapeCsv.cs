// The blend shape weights a run set, as a table: what `parley scene --blendshapes weights.csv` writes.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using UnityEngine;

namespace Parley.Simulation
{
    public static class BlendShapeCsv
    {
        /// <summary>
        /// Header <c>ms</c> then the mesh's blend shape names in index order; one row per frame in which any weight of
        /// <paramref name="renderer"/> was set: the frame's time in ms since the player started, then every shape's
        /// weight after that frame (a shape not set yet is 0, one not set in the frame keeps its last value).
        /// Main thread (reads the mesh's names).
        /// </summary>
        public static int Write(TextWriter writer, IReadOnlyList<BlendShapeRecord> records, SkinnedMeshRenderer renderer)
        {
            if (writer == null) throw new ArgumentNullException(nameof(writer));
            if (records == null) throw new ArgumentNullException(nameof(records));
            if (renderer == null) throw new ArgumentNullException(nameof(renderer));
            var mesh = renderer.sharedMesh;
            var count = mesh != null ? mesh.blendShapeCount : 0;
            writer.Write("ms");
            for (var i = 0; i < count; i++) writer.Write("," + mesh.GetBlendShapeName(i));
            writer.Write('\n');
            var weights = new float[count];
            var rows = 0;
            for (var k = 0; k < records.Count;)
            {
                if (records[k].Renderer != renderer) { k++; continue; }
                var frame = records[k].Frame;
                var time = records[k].Time;
                for (; k < records.Count && records[k].Frame == frame; k++)
                    if (records[k].Renderer == renderer && records[k].Index < count) weights[records[k].Index] = records[k].Weight;
                writer.Write((time * 1000).ToString("0.###", CultureInfo.InvariantCulture));
                for (var i = 0; i < count; i++) writer.Write("," + weights[i].ToString("0.###", CultureInfo.InvariantCulture));
                writer.Write('\n');
                rows++;
            }
            return rows;
        }
    }
}
