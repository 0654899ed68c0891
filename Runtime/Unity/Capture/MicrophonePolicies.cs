using System.Collections.Generic;
using UnityEngine;

namespace Parley.Unity.Capture
{
    /// <summary>Every listener that wants audio hears all of it.</summary>
    public sealed class AllListenPolicy : IMicrophonePolicy
    {
        public void Choose(IReadOnlyList<ICaptureSink> listeners, bool[] hears)
        {
            for (var i = 0; i < listeners.Count; i++) hears[i] = MicrophonePolicy.Wants(listeners[i]);
        }
    }

    /// <summary>Only <see cref="Active"/> hears; set it from game code (the player talks to whom they selected).</summary>
    public sealed class ExplicitListenerPolicy : IMicrophonePolicy
    {
        public ICaptureSink Active;

        public void Choose(IReadOnlyList<ICaptureSink> listeners, bool[] hears)
        {
            for (var i = 0; i < listeners.Count; i++) hears[i] = Active != null && ReferenceEquals(listeners[i], Active);
        }
    }

    /// <summary>
    /// The listener whose GameObject is nearest to the scene's enabled AudioListener hears (listeners that are not
    /// components, or do not want audio, are skipped). The current listener keeps the microphone until another is
    /// nearer by <see cref="SwitchMarginMeters"/>, so two agents at the same distance do not trade it every frame.
    /// The AudioListener is found once (<c>FindObjectOfType</c>) and again only when it is gone or disabled.
    /// </summary>
    public sealed class NearestToListenerPolicy : IMicrophonePolicy
    {
        const int SearchEveryFrames = 30;
        AudioListener _listener;
        ICaptureSink _current;
        int _nextSearchFrame;

        public float SwitchMarginMeters = 0.5f;

        /// <summary>Who heard last (null before the first choice or when nobody could).</summary>
        public ICaptureSink Current => _current;

        public void Choose(IReadOnlyList<ICaptureSink> listeners, bool[] hears)
        {
            if (_listener == null || !_listener.isActiveAndEnabled)
            {
                _listener = null;
                if (Time.frameCount >= _nextSearchFrame)
                {
                    _listener = MicrophonePolicy.FindFirst<AudioListener>();
                    _nextSearchFrame = Time.frameCount + SearchEveryFrames;
                }
            }
            if (_listener == null) { Mark(listeners, hears); return; }   // nobody to be near: keep who had it
            var at = _listener.transform.position;
            ICaptureSink best = null;
            var bestDistance = float.MaxValue;
            var currentDistance = float.MaxValue;
            for (var i = 0; i < listeners.Count; i++)
            {
                var sink = listeners[i];
                if (!(sink is Component c) || c == null || !MicrophonePolicy.Wants(sink)) continue;
                var d = Vector3.Distance(c.transform.position, at);
                if (ReferenceEquals(sink, _current)) currentDistance = d;
                if (d < bestDistance) { bestDistance = d; best = sink; }
            }
            if (best != null && (currentDistance == float.MaxValue || bestDistance + SwitchMarginMeters < currentDistance)) _current = best;
            else if (best == null) _current = null;
            Mark(listeners, hears);
        }

        void Mark(IReadOnlyList<ICaptureSink> listeners, bool[] hears)
        {
            for (var i = 0; i < listeners.Count; i++) hears[i] = _current != null && ReferenceEquals(listeners[i], _current);
        }
    }

    static class MicrophonePolicy
    {
        internal static bool Wants(ICaptureSink sink) => !(sink is ICaptureDemand d) || d.WantsCapture;

        /// <summary>The first object of the type on an active GameObject (FindObjectOfType is obsolete from 2023.1).</summary>
        internal static T FindFirst<T>() where T : Object
        {
#if UNITY_2023_1_OR_NEWER
            return Object.FindFirstObjectByType<T>();
#else
            return Object.FindObjectOfType<T>();
#endif
        }
    }
}
