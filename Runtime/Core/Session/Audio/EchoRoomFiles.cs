using System;
using System.Globalization;
using System.IO;
using System.Text;
using Parley.Audio;

namespace Parley.Session.Audio
{
    /// <summary>
    /// Echo rooms kept on disk between runs of the app, one file per microphone and rate in <see cref="Directory"/>
    /// (<see cref="EchoRoom.ToBytes"/>: taps and an alignment, no audio, about 20 KB at 24 kHz). The file name holds a
    /// hash of the microphone's name, never the name. A damaged file is deleted and skipped: the conversation starts
    /// cold. A room written here that no longer fits the devices costs nothing (the canceller installs a room only if
    /// it cancels at once). Input and output errors (<see cref="IOException"/>, <see cref="UnauthorizedAccessException"/>)
    /// are the caller's to report.
    /// </summary>
    public sealed class EchoRoomFiles
    {
        const string Extension = ".echoroom";

        public EchoRoomFiles(string directory)
        {
            if (string.IsNullOrEmpty(directory)) throw new ArgumentException("A directory is needed.", nameof(directory));
            Directory = directory;
        }

        /// <summary>Where the rooms are kept (created by the first <see cref="Save"/>).</summary>
        public string Directory { get; }

        /// <summary>
        /// Puts every stored room of <paramref name="microphone"/> (each rate) into <paramref name="memory"/>. Returns
        /// how many were read; <paramref name="damaged"/> counts the files deleted because they could not be read as a room.
        /// </summary>
        public int Load(EchoRoomMemory memory, string microphone, out int damaged)
        {
            if (memory == null) throw new ArgumentNullException(nameof(memory));
            damaged = 0;
            if (!System.IO.Directory.Exists(Directory)) return 0;
            var loaded = 0;
            foreach (var path in System.IO.Directory.GetFiles(Directory, Prefix(microphone) + "*" + Extension))
            {
                EchoRoom room;
                try { room = EchoRoom.FromBytes(File.ReadAllBytes(path)); }
                catch (FormatException)
                {
                    File.Delete(path);
                    damaged++;
                    continue;
                }
                // A file renamed to another rate is not that rate's room.
                if (!string.Equals(Path.GetFileName(path), FileName(microphone, room.SampleRate), StringComparison.Ordinal)) continue;
                memory.Remember(microphone, room);
                loaded++;
            }
            return loaded;
        }

        /// <summary>Writes <paramref name="room"/> as <paramref name="microphone"/>'s room at its rate, replacing the last one whole.</summary>
        public void Save(string microphone, EchoRoom room)
        {
            if (room == null) throw new ArgumentNullException(nameof(room));
            System.IO.Directory.CreateDirectory(Directory);
            var path = Path.Combine(Directory, FileName(microphone, room.SampleRate));
            // Written beside it and then swapped in: a run killed mid-write leaves the last room or none, never half of one.
            var temporary = path + ".tmp";
            File.WriteAllBytes(temporary, room.ToBytes());
            File.Delete(path);
            File.Move(temporary, path);
        }

        /// <summary>Deletes <paramref name="microphone"/>'s stored rooms (every rate), or every stored room when null.</summary>
        public void Delete(string microphone = null)
        {
            if (!System.IO.Directory.Exists(Directory)) return;
            foreach (var path in System.IO.Directory.GetFiles(Directory, (microphone == null ? "" : Prefix(microphone)) + "*" + Extension))
                File.Delete(path);
        }

        /// <summary>The file of <paramref name="microphone"/>'s room at <paramref name="sampleRate"/>.</summary>
        public static string FileName(string microphone, int sampleRate) => Prefix(microphone) + sampleRate.ToString(CultureInfo.InvariantCulture) + Extension;

        /// <summary>FNV-1a (64 bits) of the name's UTF-8: stable across runs and runtimes, unlike string.GetHashCode.</summary>
        static string Prefix(string microphone)
        {
            var h = 14695981039346656037UL;
            foreach (var b in Encoding.UTF8.GetBytes(microphone ?? string.Empty)) h = (h ^ b) * 1099511628211UL;
            return h.ToString("x16", CultureInfo.InvariantCulture) + "-";
        }
    }
}
