using System;
using Parley.Audio;

namespace Parley.Unity.Capture
{
    /// <summary>Receives captured audio on the main thread (the span is only valid during the call).</summary>
    public interface ICaptureSink
    {
        void OnCaptured(ReadOnlySpan<float> interleaved, AudioFormat format);
    }

    /// <summary>Where a capture source is.</summary>
    public enum CaptureStatus
    {
        Stopped,
        /// <summary>Started; the device has not delivered its first audio yet.</summary>
        Starting,
        Capturing,
        /// <summary>The device stopped recording, froze, or never started; retrying.</summary>
        DeviceLost,
        /// <summary>The platform refused the microphone (permission denied) or has none (WebGL for now).</summary>
        Unavailable,
        /// <summary>The player is being asked for the microphone (Android/iOS system dialog).</summary>
        AwaitingPermission,
    }

    /// <summary>
    /// A microphone front end: Unity's <c>Microphone</c> (<see cref="MicrophoneCapture"/>) or a platform capture
    /// with the OS's echo cancellation. Small on purpose (Inworld-style swappable handlers): a source delivers
    /// frames to its sinks every frame and reports its status; the agent and the echo canceller are sinks.
    /// </summary>
    public interface ICaptureSource
    {
        AudioFormat Format { get; }
        CaptureStatus Status { get; }
        /// <summary>Raised on the main thread with the new status and a reason (device name, timeout, …).</summary>
        event Action<CaptureStatus, string> StatusChanged;
        void AddSink(ICaptureSink sink);
        void RemoveSink(ICaptureSink sink);
    }
}
