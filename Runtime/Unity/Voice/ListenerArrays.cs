using System;

namespace Parley.Unity.Voice
{
    /// <summary>
    /// Listener arrays of the played-signal sources (<see cref="AgentVoice"/>, <see cref="ListenerEchoTap"/>): replaced
    /// whole on the main thread, so the audio thread reads one array per block without a lock or an allocation.
    /// </summary>
    internal static class ListenerArrays
    {
        public static T[] With<T>(T[] old, T listener) where T : class
        {
            if (listener == null) throw new ArgumentNullException(nameof(listener));
            if (Array.IndexOf(old, listener) >= 0) return old;
            var next = new T[old.Length + 1];
            Array.Copy(old, next, old.Length);
            next[old.Length] = listener;
            return next;
        }

        public static T[] Without<T>(T[] old, T listener) where T : class
        {
            var at = Array.IndexOf(old, listener);
            if (at < 0) return old;
            var next = new T[old.Length - 1];
            Array.Copy(old, 0, next, 0, at);
            Array.Copy(old, at + 1, next, at, old.Length - at - 1);
            return next;
        }
    }
}
