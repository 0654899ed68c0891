using System;
using System.Collections.Generic;
using Parley.Audio;

namespace Parley.Unity.Capture
{
    /// <summary>
    /// Which of a <see cref="MicrophoneHub"/>'s listeners hear the microphone. Asked on the main thread once per frame
    /// that has audio, before any of it is delivered, so a hand-over falls between two chunks: every captured frame
    /// goes to the listeners chosen for its frame, none is dropped or sent twice by the switch.
    /// </summary>
    public interface IMicrophonePolicy
    {
        /// <summary>Sets <c>hears[i]</c> for each of <paramref name="listeners"/> (the array is at least as long; entries start false).</summary>
        void Choose(IReadOnlyList<ICaptureSink> listeners, bool[] hears);
    }

    /// <summary>A listener that can say whether it wants audio now (a <c>VoiceAgent</c> in a conversation); policies skip those that don't.</summary>
    public interface ICaptureDemand
    {
        bool WantsCapture { get; }
    }

    /// <summary>
    /// A listener that can say its player is mid-utterance (a <c>VoiceAgent</c> between the start of the player's
    /// speech and the end of their turn). A <see cref="MicrophoneHub"/> does not take the microphone away from it then:
    /// the hand-over waits until the utterance ends or <see cref="MicrophoneHub.MaxHoldSeconds"/> of audio have passed.
    /// </summary>
    public interface ICaptureUtterance
    {
        bool MidUtterance { get; }
    }

    /// <summary>
    /// A listener that keeps track of the microphone while another has it: a <see cref="MicrophoneHub"/> gives it, on the
    /// main thread, every chunk it does not deliver to it (a <c>VoiceAgent</c> measures there whether the microphone
    /// carries the agents' voices, so its echo guard is not cold when the microphone comes to it). Nothing observed is
    /// sent anywhere; the span is only valid during the call.
    /// </summary>
    public interface ICaptureObserver
    {
        void OnObserved(ReadOnlySpan<float> interleaved, AudioFormat format);
    }

    /// <summary>The built-in policies of <see cref="MicrophoneHub"/>.</summary>
    public enum MicrophoneRouting
    {
        /// <summary>The listener (a component) nearest to the scene's AudioListener; <see cref="NearestToListenerPolicy"/>.</summary>
        NearestToListener,
        /// <summary>The one the game names (<see cref="MicrophoneHub.Active"/>); nobody while none is named.</summary>
        ExplicitlyActive,
        /// <summary>Every listener hears everything.</summary>
        All,
    }
}
