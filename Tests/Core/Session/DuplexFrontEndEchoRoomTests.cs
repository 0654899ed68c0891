using System;
using NUnit.Framework;
using Parley.Session.Audio;
using Parley.Tests.Support;

namespace Parley.Tests.Core.Session
{
    /// <summary>
    /// A front end with an <see cref="EchoRoomMemory"/> hands its canceller's echo path to the next conversation's front
    /// end on the same microphone (<see cref="DuplexFrontEndOptions.EchoRooms"/>): remembered when disposed, recalled at
    /// Configure for the same key and rate only.
    /// </summary>
    public class DuplexFrontEndEchoRoomTests
    {
        const int Rate = 24000;

        static DuplexFrontEndOptions With(EchoRoomMemory memory, string key = "Mic") => new DuplexFrontEndOptions { EchoRooms = memory, EchoRoomKey = key };

        /// <summary>A first conversation: 8 s of the agent's voice through the room, nobody else.</summary>
        static void FirstConversation(EchoRoomMemory memory, double echoDb)
        {
            using (var f = DuplexScenes.EnergyFrontEnd(Rate, With(memory)))
                DuplexScenes.Run(f, DuplexScenes.Make(8, 0.4, 100, echoDb, 31));
        }

        [Test]
        public void The_next_conversation_starts_from_the_room_the_last_one_learnt()
        {
            var memory = new EchoRoomMemory();
            FirstConversation(memory, -6);
            Assert.That(memory.Count, Is.EqualTo(1));
            Assert.That(memory.Recall("Mic", Rate), Is.Not.Null);
            Assert.That(memory.Recall("Mic", 16000), Is.Null, "another rate");
            Assert.That(memory.Recall("Other mic", Rate), Is.Null, "another microphone");
            using (var next = DuplexScenes.EnergyFrontEnd(Rate, With(memory)))
            using (var elsewhere = DuplexScenes.EnergyFrontEnd(Rate, With(memory, "Other mic")))
            using (var none = DuplexScenes.EnergyFrontEnd(Rate))
            {
                // The same room (its seed), started 3 ticks later than the first conversation.
                var scene = DuplexScenes.Late(DuplexScenes.Make(2, 0.4, 100, -6, 31), 3, 77);
                DuplexScenes.Run(next, scene);
                DuplexScenes.Run(elsewhere, scene);
                DuplexScenes.Run(none, scene);
                Assert.That(next.EchoCanceller.StartedWarm, Is.True, "the same microphone");
                Assert.That(elsewhere.EchoCanceller.StartedWarm, Is.False, "another microphone's memory is empty");
                Assert.That(none.EchoCanceller.StartedWarm, Is.False, "no memory");
            }
            Assert.That(memory.Count, Is.EqualTo(2), "each front end remembered its room when disposed");
        }

        /// <summary>
        /// The player talks 1 s into the first reply of a conversation at a 0 dB echo (RT60 0.4 s, 100 ms), at −6, 0 and
        /// +6 dB against the agent's voice. Cold, the echo guard is still learning what a cold canceller leaks (it holds
        /// every onset until 0.8 s of the agent's voice are learnt, then the leak stays in its bar for the 2 s hold).
        /// Started from the last conversation's room, the canceller removes the echo from its first words and the guard
        /// starts its learning over on it: the player is heard. Onset → raised, in ms. Cold, since the tail's verdict during its
        /// relearn stands on the ratio relearnt so far (stop 65), the 0 and +6 dB players are heard too (90 and 60 ms); the
        /// −6 dB one still is not, so the remembered room still hears more.
        /// </summary>
        [Test]
        public void A_player_early_in_the_first_reply_is_heard_when_the_room_is_remembered()
        {
            var memory = new EchoRoomMemory();
            FirstConversation(memory, 0);
            var report = "";
            int warmHeard = 0, coldHeard = 0;
            foreach (var db in new[] { -6.0, 0.0, 6.0 })
            {
                var scene = DuplexScenes.Late(DuplexScenes.Make(6, 0.4, 100, 0, 31, "user-interrupt", 1000, db), 3, 77);
                DuplexScenes.Result warm, cold;
                using (var f = DuplexScenes.EnergyFrontEnd(Rate, With(memory))) warm = DuplexScenes.Run(f, scene);
                using (var f = DuplexScenes.EnergyFrontEnd(Rate)) cold = DuplexScenes.Run(f, scene);
                string Late(DuplexScenes.Result r) => r.Raised > 0 ? (r.FirstRaisedAtMs - scene.OnsetMs).ToString("0") + " ms" : "never";
                report += $"{db:+0;-0;0} dB: remembered {Late(warm)}, cold {Late(cold)}; ";
                if (warm.Raised == 1 && warm.FirstRaisedAtMs - scene.OnsetMs <= 120) warmHeard++;
                if (cold.Raised > 0 && cold.FirstRaisedAtMs - scene.OnsetMs <= 120) coldHeard++;
            }
            TestContext.WriteLine(report);
            Assert.That(warmHeard, Is.EqualTo(3), report);
            Assert.That(coldHeard, Is.LessThan(warmHeard), "the control: " + report);
        }

        /// <summary>
        /// The frames that still carry the cold canceller's output across the warm start are not learnt by the echo guard.
        /// Learnt, the first of them (the microphone almost as heard) held the guard's bar 8.5 dB high for its 2 s hold: a
        /// player 1.5 s into the first reply was heard 650-660 ms late in both rooms (RT60 0.2 and 0.4 s, 100 ms, a -6 dB echo;
        /// the player at -6 dB). The room is learnt as the warm sweep learns it (8 s, 4 ticks later); onset to raised
        /// within the 120 ms of issue 13. The third room (another draw of the first) was heard 190 ms late with the fix
        /// alone: the player came out 7-13 dB under the microphone, and EchoGuardUnexplainedDb at -10 broke its run.
        /// </summary>
        [TestCase(0.2, 300)]
        [TestCase(0.4, 303)]
        [TestCase(0.2, 2300)]
        public void A_player_halfway_through_the_first_warm_reply_is_heard(double rt60, int seed)
        {
            var memory = new EchoRoomMemory();
            LearnRoom(memory, rt60, 100, -6, seed, 4);
            AssertPlayerHeardWarm(memory, rt60, 100, -6, seed, 0);
        }

        /// <summary>
        /// A first conversation whose canceller held 10 dB only late and briefly (RT60 0.4 s, 300 ms, a -20 dB echo: its
        /// gauge over 10 dB at 4.25, 5.5 and 7.5-8 s, never on one of the blocks the re-seed source is saved on) still
        /// hands on its room: the filter it ends with. Without that the next conversation started cold, and a player
        /// 1.5 s into its first reply, 14 dB over the echo, was never heard. In the longer room (RT60 0.6 s) the filter
        /// ends the 8 s conversation at 8.7 dB: it is handed on because it is held and cancels 6 dB; at a 10 dB bar that
        /// player was never heard either.
        /// </summary>
        [TestCase(0.4, 305, 6, 2)]
        [TestCase(0.6, 308, 4, 0)]
        public void A_room_held_only_at_the_end_of_the_conversation_is_remembered(double rt60, int seed, int learnTicks, int ticks)
        {
            var memory = new EchoRoomMemory();
            LearnRoom(memory, rt60, 300, -20, seed, learnTicks);
            Assert.That(memory.Count, Is.EqualTo(1), "the room was remembered");
            AssertPlayerHeardWarm(memory, rt60, 300, -20, seed, ticks);
        }

        /// <summary>A first conversation in the room as the warm sweep has it: 8 s of the agent alone, <paramref name="ticks"/> late.</summary>
        static void LearnRoom(EchoRoomMemory memory, double rt60, double delayMs, double echoDb, int seed, int ticks)
        {
            using (var f = DuplexScenes.EnergyFrontEnd(Rate, With(memory)))
                DuplexScenes.Run(f, DuplexScenes.Late(DuplexScenes.Make(8, rt60, delayMs, echoDb, seed), ticks, seed + 1));
        }

        /// <summary>The next conversation starts warm and hears a player (-6 dB) 1.5 s into its first reply within 120 ms, once.</summary>
        static void AssertPlayerHeardWarm(EchoRoomMemory memory, double rt60, double delayMs, double echoDb, int seed, int ticks)
        {
            var scene = DuplexScenes.Late(DuplexScenes.Make(8, rt60, delayMs, echoDb, seed, "user-interrupt", 1500, -6), ticks, seed);
            using (var f = DuplexScenes.EnergyFrontEnd(Rate, With(memory)))
            {
                var r = DuplexScenes.Run(f, scene);
                Assert.That(f.EchoCanceller.StartedWarm, Is.True);
                Assert.That(r.Raised, Is.EqualTo(1), "one onset: the player's");
                Assert.That(r.FirstRaisedAtMs - scene.OnsetMs, Is.InRange(0.0, 120.0), "onset to raised, ms");
            }
        }

        [Test]
        public void Forget_drops_a_microphones_rooms_or_all()
        {
            var memory = new EchoRoomMemory();
            FirstConversation(memory, -6);
            using (var f = DuplexScenes.EnergyFrontEnd(Rate, With(memory, "Other mic")))
                DuplexScenes.Run(f, DuplexScenes.Make(8, 0.4, 100, -6, 31));
            Assert.That(memory.Count, Is.EqualTo(2));
            memory.Forget("Mic");
            Assert.That(memory.Recall("Mic", Rate), Is.Null);
            Assert.That(memory.Recall("Other mic", Rate), Is.Not.Null);
            memory.Forget();
            Assert.That(memory.Count, Is.Zero);
            memory.Remember("Mic", null);
            Assert.That(memory.Count, Is.Zero, "nothing learnt, nothing kept");
        }

        /// <summary>
        /// Stored bytes may hold a room at this rate with another processing block (written by hand, or by another
        /// version): the canceller refuses it, and the front end then starts cold instead of failing to configure.
        /// </summary>
        [Test]
        public void A_stored_room_with_another_block_starts_the_conversation_cold()
        {
            var memory = new EchoRoomMemory();
            FirstConversation(memory, -6);
            var bytes = memory.Recall("Mic", Rate).ToBytes();
            // The block field (bytes 12-15) doubled, under a valid checksum (FNV-1a, computed here independently of the type).
            Assert.That(BitConverter.IsLittleEndian, Is.True, "the test writes little-endian");
            BitConverter.GetBytes(2 * BitConverter.ToInt32(bytes, 12)).CopyTo(bytes, 12);
            var h = 2166136261u;
            for (var i = 0; i < bytes.Length - 4; i++) h = (h ^ bytes[i]) * 16777619u;
            BitConverter.GetBytes(h).CopyTo(bytes, bytes.Length - 4);
            var odd = Parley.Audio.EchoRoom.FromBytes(bytes);
            Assert.Throws<ArgumentException>(() => new Parley.Audio.EchoCanceller(Rate).StartFrom(odd), "the canceller refuses it");
            memory.Remember("Mic", odd);
            using (var f = DuplexScenes.EnergyFrontEnd(Rate, With(memory)))
            {
                DuplexScenes.Run(f, DuplexScenes.Late(DuplexScenes.Make(2, 0.4, 100, -6, 31), 3, 77));
                Assert.That(f.EchoCanceller.StartedWarm, Is.False);
            }
        }
    }
}
