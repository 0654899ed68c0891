namespace Parley.Audio.Vad
{
    /// <summary>Which detector scores frames: <see cref="EnergyVoiceActivityDetector"/> (anywhere) or Silero VAD (Parley.Onnx, where ONNX Runtime is installed).</summary>
    public enum VadEngine
    {
        Energy,
        Silero,
    }
}
