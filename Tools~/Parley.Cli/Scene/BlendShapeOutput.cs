using System;
using System.Globalization;
using System.IO;
using System.Text;
using Parley.Lipsync;
using Parley.Unity.Lipsync;
using UnityEngine;

namespace Parley.Cli.Scene
{
    /// <summary>
    /// `scene --blendshapes FILE`: every frame, after <see cref="BlendShapeLipSync"/> has set the face, the weights the
    /// mesh holds (Unity's 0..100), stamped with the ms of the audio being heard then (dspTime). Header: ms, then the
    /// mesh's blend shape names.
    /// </summary>
    sealed class BlendShapeOutput : IDisposable
    {
        readonly StreamWriter _writer;
        readonly SkinnedMeshRenderer _face;
        readonly BlendShapeLipSync _lips;
        readonly StringBuilder _row = new StringBuilder();

        public int Rows { get; private set; }

        public BlendShapeOutput(string path, SkinnedMeshRenderer face, BlendShapeLipSync lips)
        {
            _face = face;
            _lips = lips;
            try { _writer = new StreamWriter(path, false, new UTF8Encoding(false)); }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new CliError("Cannot write the blend shape file '" + path + "': " + e.Message, ExitCodes.BadInput);
            }
            _writer.NewLine = "\n";
            var mesh = face.sharedMesh;
            _row.Append("ms");
            for (var i = 0; i < mesh.blendShapeCount; i++) _row.Append(',').Append(mesh.GetBlendShapeName(i));
            _writer.WriteLine(_row.ToString());
            lips.WeightsApplied += OnWeights;
        }

        void OnWeights(VisemeMapping mapping, ReadOnlySpan<float> targets, float jawOpen)
        {
            var c = CultureInfo.InvariantCulture;
            _row.Clear().Append((AudioSettings.dspTime * 1000).ToString("0.0", c));
            var n = _face.sharedMesh.blendShapeCount;
            for (var i = 0; i < n; i++) _row.Append(',').Append(_face.GetBlendShapeWeight(i).ToString("0.##", c));
            _writer.WriteLine(_row.ToString());
            Rows++;
        }

        public void Dispose()
        {
            _lips.WeightsApplied -= OnWeights;
            _writer.Dispose();
        }
    }
}
