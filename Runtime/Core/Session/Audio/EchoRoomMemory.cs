using System;
using System.Collections.Generic;
using Parley.Audio;

namespace Parley.Session.Audio
{
    /// <summary>
    /// The echo path each microphone's last conversation learnt (<see cref="EchoRoom"/>), one per microphone and rate, so
    /// the next conversation's canceller starts warm instead of learning the room again from its first words (a cold
    /// start takes seconds; BENCHMARKS.md, "Warm starts"). A front end recalls a room at
    /// <see cref="DuplexFrontEnd.Configure"/> and remembers its own when disposed (<see cref="DuplexFrontEndOptions.EchoRooms"/>).
    /// A room that no longer fits (other speakers) costs nothing: the canceller installs it only if it cancels at once.
    /// In Unity each MicrophoneCapture holds one for the agents it feeds. In memory only; <see cref="EchoRoomFiles"/>
    /// keeps rooms across runs of the app (MicrophoneCapture's <c>KeepEchoPathBetweenRuns</c>).
    /// Thread-safe.
    /// </summary>
    public sealed class EchoRoomMemory
    {
        readonly Dictionary<(string, int), EchoRoom> _rooms = new Dictionary<(string, int), EchoRoom>();

        /// <summary>The room last remembered for <paramref name="microphone"/> at <paramref name="sampleRate"/>; null when none.</summary>
        public EchoRoom Recall(string microphone, int sampleRate)
        {
            lock (_rooms) return _rooms.TryGetValue((Key(microphone), sampleRate), out var room) ? room : null;
        }

        /// <summary>Remembers <paramref name="room"/> for <paramref name="microphone"/> at the room's rate (null: nothing).</summary>
        public void Remember(string microphone, EchoRoom room)
        {
            if (room == null) return;
            lock (_rooms) _rooms[(Key(microphone), room.SampleRate)] = room;
            Remembered?.Invoke(Key(microphone), room);
        }

        /// <summary>A room was remembered (on the caller's thread, after it is held): where a store keeps it (<see cref="EchoRoomFiles"/>).</summary>
        public event Action<string, EchoRoom> Remembered;

        /// <summary>Forgets the rooms of <paramref name="microphone"/> (every rate), or of every microphone when null.</summary>
        public void Forget(string microphone = null)
        {
            lock (_rooms)
            {
                if (microphone == null) { _rooms.Clear(); return; }
                var key = Key(microphone);
                var stale = new List<(string, int)>();
                foreach (var k in _rooms.Keys)
                    if (k.Item1 == key) stale.Add(k);
                foreach (var k in stale) _rooms.Remove(k);
            }
        }

        /// <summary>Rooms held.</summary>
        public int Count
        {
            get { lock (_rooms) return _rooms.Count; }
        }

        static string Key(string microphone) => string.IsNullOrEmpty(microphone) ? string.Empty : microphone;
    }
}
