using System;
using System.IO;
using System.Linq;
using NUnit.Framework;
using Parley.Audio;
using Parley.Session.Audio;
using Parley.Tests.Support;

namespace Parley.Tests.Core.Session
{
    /// <summary>
    /// <see cref="EchoRoomFiles"/>: the rooms an <see cref="EchoRoomMemory"/> is handed, kept in files between runs of the
    /// app (one per microphone and rate), read back into a new memory, damaged files deleted and skipped.
    /// </summary>
    public class EchoRoomFilesTests
    {
        string _dir;

        [SetUp]
        public void MakeDirectory() => _dir = Path.Combine(Path.GetTempPath(), "parley-echo-rooms-" + Guid.NewGuid().ToString("N"));

        [TearDown]
        public void RemoveDirectory()
        {
            if (Directory.Exists(_dir)) Directory.Delete(_dir, true);
        }

        /// <summary>A room learnt by a first conversation of 8 s at <paramref name="rate"/> (RT60 0.4 s, 100 ms, −6 dB).</summary>
        static EchoRoom Learnt(int rate)
        {
            var memory = new EchoRoomMemory();
            using (var f = DuplexScenes.EnergyFrontEnd(rate, new DuplexFrontEndOptions { EchoRooms = memory, EchoRoomKey = "Mic" }))
                DuplexScenes.Run(f, DuplexScenes.Make(8, 0.4, 100, -6, 31));
            var room = memory.Recall("Mic", rate);
            Assert.That(room, Is.Not.Null, "the first conversation held the echo");
            return room;
        }

        [Test]
        public void A_remembered_room_is_read_back_by_the_next_run()
        {
            var files = new EchoRoomFiles(_dir);
            var first = new EchoRoomMemory();
            first.Remembered += files.Save;
            var room24 = Learnt(24000);
            var room16 = Learnt(16000);
            first.Remember("USB Headset", room24);
            first.Remember("USB Headset", room16);
            first.Remember("", room24);   // the default device
            Assert.That(Directory.GetFiles(_dir).Length, Is.EqualTo(3));
            Assert.That(Directory.GetFiles(_dir).Any(f => f.Contains("USB")), Is.False, "the device's name is hashed, not written");

            var next = new EchoRoomMemory();
            var saved = 0;
            next.Remembered += (m, r) => saved++;
            Assert.That(files.Load(next, "USB Headset", out var damaged), Is.EqualTo(2));
            Assert.That(damaged, Is.Zero);
            Assert.That(next.Recall("USB Headset", 24000).ToBytes(), Is.EqualTo(room24.ToBytes()));
            Assert.That(next.Recall("USB Headset", 16000).ToBytes(), Is.EqualTo(room16.ToBytes()));
            Assert.That(next.Recall("", 24000), Is.Null, "only the named device's rooms");
            Assert.That(files.Load(next, "", out _), Is.EqualTo(1));
            Assert.That(files.Load(next, "Another mic", out _), Is.Zero);
            Assert.That(saved, Is.EqualTo(3), "loading remembers each room (a store subscribed then would write it again)");
        }

        [Test]
        public void A_newer_room_replaces_the_stored_one_whole()
        {
            var files = new EchoRoomFiles(_dir);
            var a = Learnt(24000);
            var b = new EchoRoomMemory();
            files.Save("Mic", a);
            files.Save("Mic", a);
            Assert.That(Directory.GetFiles(_dir).Select(Path.GetFileName), Is.EqualTo(new[] { EchoRoomFiles.FileName("Mic", 24000) }), "no temporary file left");
            Assert.That(files.Load(b, "Mic", out _), Is.EqualTo(1));
            Assert.That(b.Recall("Mic", 24000).ToBytes(), Is.EqualTo(a.ToBytes()));
        }

        [Test]
        public void A_damaged_file_is_deleted_and_the_conversation_starts_cold()
        {
            var files = new EchoRoomFiles(_dir);
            files.Save("Mic", Learnt(24000));
            var path = Path.Combine(_dir, EchoRoomFiles.FileName("Mic", 24000));
            var bytes = File.ReadAllBytes(path);
            File.WriteAllBytes(path, bytes.Take(bytes.Length / 2).ToArray());   // a run killed mid-write by an older version
            var memory = new EchoRoomMemory();
            Assert.That(files.Load(memory, "Mic", out var damaged), Is.Zero);
            Assert.That(damaged, Is.EqualTo(1));
            Assert.That(File.Exists(path), Is.False);
            Assert.That(memory.Count, Is.Zero);
        }

        [Test]
        public void A_file_renamed_to_another_rate_is_not_that_rates_room()
        {
            var files = new EchoRoomFiles(_dir);
            files.Save("Mic", Learnt(24000));
            File.Move(Path.Combine(_dir, EchoRoomFiles.FileName("Mic", 24000)), Path.Combine(_dir, EchoRoomFiles.FileName("Mic", 16000)));
            var memory = new EchoRoomMemory();
            Assert.That(files.Load(memory, "Mic", out var damaged), Is.Zero);
            Assert.That(damaged, Is.Zero);
            Assert.That(memory.Count, Is.Zero);
        }

        [Test]
        public void Delete_removes_a_devices_rooms_or_all()
        {
            var files = new EchoRoomFiles(_dir);
            var room = Learnt(16000);
            files.Delete("Mic");   // nothing stored yet: nothing to do
            files.Save("Mic", room);
            files.Save("Other", room);
            files.Delete("Mic");
            Assert.That(Directory.GetFiles(_dir).Select(Path.GetFileName), Is.EqualTo(new[] { EchoRoomFiles.FileName("Other", 16000) }));
            files.Delete();
            Assert.That(Directory.GetFiles(_dir), Is.Empty);
            Assert.That(files.Load(new EchoRoomMemory(), "Other", out _), Is.Zero);
            Assert.Throws<ArgumentException>(() => new EchoRoomFiles(""));
            Assert.Throws<ArgumentNullException>(() => files.Save("Mic", null));
        }
    }
}
