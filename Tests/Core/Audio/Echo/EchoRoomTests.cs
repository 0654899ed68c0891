using System;
using NUnit.Framework;
using Parley.Audio;
using Parley.Tests.Support;

namespace Parley.Tests.Core.Audio.Echo
{
    /// <summary>
    /// A canceller started from the room an earlier one learnt (<see cref="EchoCanceller.SaveRoom"/>,
    /// <see cref="EchoCanceller.StartFrom"/>): the next conversation on the same devices cancels from its first words, a
    /// room from other devices changes nothing, and a stored room that is damaged or from another rate is refused with a
    /// typed error. Seeded speech through synthetic rooms (Tests/Core/Support/EchoScenes).
    /// </summary>
    public class EchoRoomTests
    {
        const double NoiseDbfs = -60;

        /// <summary>One conversation: <paramref name="seconds"/> of the agent (from <paramref name="skip"/> s into the clips) through a room.</summary>
        static (float[] Far, float[] Echo, float[] Noise, float[] Mic) Conversation(int rate, float[] room, double skip, double seconds, int noiseSeed)
        {
            var all = EchoScenes.FarSpeech(rate, skip + seconds);
            var far = new float[(int)(seconds * rate)];
            Array.Copy(all, (int)(skip * rate), far, 0, far.Length);
            var echo = EchoScenes.Echo(far, room, -6);
            var noise = EchoScenes.Noise(far.Length, NoiseDbfs, noiseSeed);
            return (far, echo, noise, EchoScenes.Sum(echo, noise));
        }

        static EchoRoom Learn(int rate, float[] room)
        {
            var first = Conversation(rate, room, 0, 8, 5);
            var aec = new EchoCanceller(rate);
            EchoScenes.Stream(aec, first.Mic, first.Far);
            var learnt = aec.SaveRoom();
            Assert.That(learnt, Is.Not.Null, "the first conversation's canceller held the echo and saved its room");
            return learnt;
        }

        [TestCase(16000)]
        [TestCase(24000)]
        public void The_next_conversation_on_the_same_devices_cancels_from_its_first_words(int rate)
        {
            var room = EchoScenes.RoomImpulse(rate, 0.4, 100, 11);
            var learnt = Learn(rate, room);
            // Other words than the first conversation's (8 s further into the clips), other noise.
            var next = Conversation(rate, room, 8, 6, 9);
            var warm = new EchoCanceller(rate);
            warm.StartFrom(learnt);
            var warmOut = EchoScenes.Stream(warm, next.Mic, next.Far);
            var coldOut = EchoScenes.Stream(new EchoCanceller(rate), next.Mic, next.Far);
            var warmDb = EchoScenes.ErleDb(next.Mic, warmOut, next.Echo, next.Noise, rate, 0, rate);
            var coldDb = EchoScenes.ErleDb(next.Mic, coldOut, next.Echo, next.Noise, rate, 0, rate);
            var warm2Db = EchoScenes.ErleDb(next.Mic, warmOut, next.Echo, next.Noise, rate, rate, 2 * rate);
            var cold2Db = EchoScenes.ErleDb(next.Mic, coldOut, next.Echo, next.Noise, rate, rate, 2 * rate);
            var coldLateDb = EchoScenes.ErleDb(next.Mic, coldOut, next.Echo, next.Noise, rate, 3 * rate);
            var report = $"ERLE over the first second warm {warmDb:0.0} dB, cold {coldDb:0.0} dB; the next second warm {warm2Db:0.0} dB, cold {cold2Db:0.0} dB; cold from 3 s {coldLateDb:0.0} dB; "
                + $"room path {learnt.PathDelayMs:0.0} ms, {learnt.FilterMs:0} ms of taps";
            TestContext.WriteLine(report);
            Assert.That(warm.StartedWarm, Is.True, report);
            Assert.That(learnt.PathDelayMs, Is.InRange(99.0, 101.0), "the room's direct path: " + report);
            // From its first words the warm canceller removes at least what the cold one does once it has learnt the room.
            Assert.That(warmDb, Is.GreaterThan(30), report);
            Assert.That(warm2Db, Is.GreaterThan(30), report);
            Assert.That(warmDb, Is.GreaterThan(coldLateDb - 3), report);
            // The control: the same words through a cold canceller are still converging.
            Assert.That(coldDb, Is.LessThan(warmDb - 10), "the control: " + report);
        }

        [TestCase(16000)]
        [TestCase(24000)]
        public void A_room_from_other_devices_changes_nothing(int rate)
        {
            var learnt = Learn(rate, EchoScenes.RoomImpulse(rate, 0.6, 40, 2));
            var next = Conversation(rate, EchoScenes.RoomImpulse(rate, 0.4, 150, 11), 8, 8, 9);
            var started = new EchoCanceller(rate);
            started.StartFrom(learnt);
            var warmOut = EchoScenes.Stream(started, next.Mic, next.Far);
            var coldOut = EchoScenes.Stream(new EchoCanceller(rate), next.Mic, next.Far);
            Assert.That(started.StartedWarm, Is.False, "the other room's taps never cancelled 10 dB here");
            var differ = 0;
            for (var i = 0; i < coldOut.Length; i++)
                if (warmOut[i] != coldOut[i]) differ++;
            Assert.That(differ, Is.EqualTo(0), "samples that differ from a cold start");
            Assert.That(EchoScenes.ErleDb(next.Mic, coldOut, next.Echo, next.Noise, rate, 4 * rate), Is.GreaterThan(20), "both converge on the new room");
        }

        [Test]
        public void A_stored_room_starts_a_canceller_exactly_as_the_room_itself()
        {
            const int rate = 16000;
            var room = EchoScenes.RoomImpulse(rate, 0.3, 60, 3);
            var learnt = Learn(rate, room);
            var bytes = learnt.ToBytes();
            var back = EchoRoom.FromBytes(bytes);
            Assert.That(back.SampleRate, Is.EqualTo(learnt.SampleRate));
            Assert.That(back.BlockSize, Is.EqualTo(learnt.BlockSize));
            Assert.That(back.FilterMs, Is.EqualTo(learnt.FilterMs));
            Assert.That(back.PathDelayMs, Is.EqualTo(learnt.PathDelayMs));
            Assert.That(back.ToBytes(), Is.EqualTo(bytes));
            var next = Conversation(rate, room, 8, 3, 9);
            var a = new EchoCanceller(rate);
            a.StartFrom(learnt);
            var b = new EchoCanceller(rate);
            b.StartFrom(back);
            Assert.That(EchoScenes.Stream(b, next.Mic, next.Far), Is.EqualTo(EchoScenes.Stream(a, next.Mic, next.Far)));
        }

        [Test]
        public void A_canceller_that_never_held_an_echo_has_no_room()
        {
            const int rate = 16000;
            var aec = new EchoCanceller(rate);
            Assert.That(aec.SaveRoom(), Is.Null, "fresh");
            var quiet = EchoScenes.Noise(3 * rate, NoiseDbfs, 4);
            EchoScenes.Stream(aec, quiet, new float[quiet.Length]);
            Assert.That(aec.SaveRoom(), Is.Null, "after noise alone");
        }

        [Test]
        public void A_saved_room_outlives_its_conversation_until_reset()
        {
            const int rate = 16000;
            var learnt = Learn(rate, EchoScenes.RoomImpulse(rate, 0.3, 60, 3));
            var aec = new EchoCanceller(rate);
            aec.StartFrom(learnt);
            // Not yet tried (no far end): the handed-in room is what the canceller would hand on.
            Assert.That(aec.SaveRoom().ToBytes(), Is.EqualTo(learnt.ToBytes()));
            aec.Reset();
            Assert.That(aec.SaveRoom(), Is.Null);
        }

        [Test]
        public void A_room_from_another_rate_or_none_is_refused()
        {
            var learnt = Learn(16000, EchoScenes.RoomImpulse(16000, 0.3, 60, 3));
            var other = new EchoCanceller(24000);
            var e = Assert.Throws<ArgumentException>(() => other.StartFrom(learnt));
            Assert.That(e.ParamName, Is.EqualTo("room"));
            Assert.That(e.Message, Does.Contain("16000 Hz"));
            Assert.Throws<ArgumentNullException>(() => other.StartFrom(null));
            Assert.That(other.SaveRoom(), Is.Null, "a refused room is not kept");
        }

        [Test]
        public void Damaged_bytes_are_a_format_error()
        {
            var bytes = Learn(16000, EchoScenes.RoomImpulse(16000, 0.3, 60, 3)).ToBytes();
            Assert.Throws<FormatException>(() => EchoRoom.FromBytes(new byte[0]), "empty");
            Assert.Throws<FormatException>(() => EchoRoom.FromBytes(bytes.AsSpan(0, bytes.Length - 1)), "truncated");
            var flipped = (byte[])bytes.Clone();
            flipped[flipped.Length / 2] ^= 0x10;
            Assert.That(Assert.Throws<FormatException>(() => EchoRoom.FromBytes(flipped)).Message, Does.Contain("checksum"));
            var header = (byte[])bytes.Clone();
            header[0] ^= 0xFF;
            Assert.That(Assert.Throws<FormatException>(() => EchoRoom.FromBytes(header)).Message, Does.Contain("header"));
            // A tap that is not finite under a valid checksum (FNV-1a, computed here independently of the type).
            var nan = (byte[])bytes.Clone();
            BitConverter.GetBytes(float.NaN).CopyTo(nan, 28);
            var h = 2166136261u;
            for (var i = 0; i < nan.Length - 4; i++) h = (h ^ nan[i]) * 16777619u;
            BitConverter.GetBytes(h).CopyTo(nan, nan.Length - 4);
            Assert.That(BitConverter.IsLittleEndian, Is.True, "the test writes little-endian");
            Assert.That(Assert.Throws<FormatException>(() => EchoRoom.FromBytes(nan)).Message, Does.Contain("not finite"));
        }
    }
}
