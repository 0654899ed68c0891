using System;
using System.IO;

namespace Parley.Onnx
{
    /// <summary>
    /// Where the shipped Silero VAD v5 model is. In Unity it is the TextAsset Runtime/Onnx/Models/silero_vad_v5.bytes:
    /// reference it from a component and pass <c>textAsset.bytes</c> to <see cref="SileroVoiceActivityDetector"/>.
    /// The .NET build copies the same file next to the Parley.Onnx assembly for the host tools.
    /// </summary>
    public static class SileroModel
    {
        public const string FileName = "silero_vad_v5.bytes";

        /// <summary>The copy next to the running program (host tools; not in a Unity player).</summary>
        public static string BundledPath => Path.Combine(AppContext.BaseDirectory, FileName);
    }
}
