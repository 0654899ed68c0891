#if !UNITY_WEBGL || UNITY_EDITOR
using System;
using System.IO;
using Parley.Audio;
using Parley.Session.Audio;
using UnityEngine;

namespace Parley.Unity.Capture
{
    /// <summary>
    /// A MicrophoneCapture's echo paths kept between runs of the app (<see cref="MicrophoneCapture.KeepEchoPathBetweenRuns"/>):
    /// files under <c>Application.persistentDataPath</c>/Parley/EchoPaths (<see cref="EchoRoomFiles"/>: one per device and
    /// rate, named by a hash of the device's name, filter taps and no audio). A room is written when a conversation hands
    /// it to the capture's <see cref="EchoRoomMemory"/>, on that thread; the rooms of a device are read the first time the
    /// memory is asked for them. A file that cannot be read or written is a warning, and the conversation starts cold:
    /// never an exception into the game loop.
    /// </summary>
    public sealed class EchoPathStore
    {
        readonly EchoRoomMemory _memory;
        readonly Func<bool> _enabled;
        readonly string _owner;
        EchoRoomFiles _files;
        string _loadedFor;
        bool _loading;

        internal EchoPathStore(EchoRoomMemory memory, Func<bool> enabled, string owner)
        {
            _memory = memory;
            _enabled = enabled;
            _owner = owner;
            memory.Remembered += OnRemembered;
        }

        /// <summary>The directory the rooms are kept in; null until the store is first used.</summary>
        public string Directory => _files?.Directory;
        public int RoomsLoaded { get; private set; }
        public int RoomsSaved { get; private set; }
        /// <summary>Files deleted because they did not hold a room (damaged, truncated, another version).</summary>
        public int DamagedFiles { get; private set; }
        /// <summary>Reads, writes or deletes the file system refused (each one a warning).</summary>
        public int Failures { get; private set; }

        /// <summary>Loads the rooms stored for <paramref name="microphone"/>, once per device name (main thread).</summary>
        internal void Load(string microphone)
        {
            if (_loadedFor != null && _loadedFor == microphone) return;
            _loadedFor = microphone;
            _loading = true;
            try
            {
                RoomsLoaded += Files().Load(_memory, microphone, out var damaged);
                if (damaged > 0)
                {
                    DamagedFiles += damaged;
                    Debug.LogWarning("Parley MicrophoneCapture '" + _owner + "': " + damaged + " stored echo path file(s) could not be read and were deleted; the next conversation starts cold.");
                }
            }
            catch (Exception e) when (IsFileError(e)) { Fail("read", e); }
            finally { _loading = false; }
        }

        /// <summary>Deletes the stored rooms of <paramref name="microphone"/> (main thread).</summary>
        internal void Delete(string microphone)
        {
            try { Files().Delete(microphone); }
            catch (Exception e) when (IsFileError(e)) { Fail("delete", e); }
        }

        void OnRemembered(string microphone, EchoRoom room)
        {
            // Not the rooms being loaded, and only once the directory is known (it is read on the main thread).
            if (_loading || _files == null || !_enabled()) return;
            try
            {
                _files.Save(microphone, room);
                RoomsSaved++;
            }
            catch (Exception e) when (IsFileError(e)) { Fail("write", e); }
        }

        EchoRoomFiles Files() => _files ?? (_files = new EchoRoomFiles(Path.Combine(Application.persistentDataPath, "Parley", "EchoPaths")));

        /// <summary>What the file system refuses with (a full disk, a missing or read-only directory), as opposed to a bug.</summary>
        static bool IsFileError(Exception e) => e is IOException || e is UnauthorizedAccessException;

        void Fail(string what, Exception e)
        {
            Failures++;
            Debug.LogWarning("Parley MicrophoneCapture '" + _owner + "': could not " + what + " the stored echo path (" + e.GetType().Name + ": " + e.Message + "); conversations start cold.");
        }
    }
}
#endif
