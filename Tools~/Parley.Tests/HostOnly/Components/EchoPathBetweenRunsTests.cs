using System;
using System.IO;
using System.Linq;
using NUnit.Framework;
using Parley.Servers.OpenAI;
using Parley.Session;
using Parley.Session.Audio;
using Parley.Simulation;
using UnityEngine;

namespace Parley.Tests.Components
{
    /// <summary>
    /// <c>MicrophoneCapture.KeepEchoPathBetweenRuns</c>: the echo path a run's conversation learnt is written under
    /// <c>Application.persistentDataPath</c>, and the next run of the app (a new simulated player on the same data
    /// directory, a new capture with an empty memory) starts its first conversation warm. The OpenAI emulator on
    /// loopback, the agent's replies reaching the microphone through a room (RT60 0.4 s, 100 ms, −6 dB).
    /// </summary>
    public class EchoPathBetweenRunsTests
    {
        string _data;

        [SetUp]
        public void MakeDataDirectory() => _data = Path.Combine(Path.GetTempPath(), "parley-data-" + Guid.NewGuid().ToString("N"));

        [TearDown]
        public void RemoveDataDirectory()
        {
            if (Directory.Exists(_data)) Directory.Delete(_data, true);
            if (File.Exists(_data)) File.Delete(_data);
        }

        /// <summary>One run of the app: a conversation of <paramref name="replies"/> replies, ended by the player.</summary>
        (bool Warm, int Loaded, int Saved, int Failures) Run(bool keep, int replies)
        {
            var input = AgentScene.FirstQuestion();
            var transcripts = new OpenAIRealtimeEmulatorOptions { UserTranscripts = new[] { "Hello?", "Hello again?" } };
            using (var scene = new AgentScene(input, transcripts, new SimulatedPlayerOptions { Seed = 5, PersistentDataPath = _data }))
            using (EchoPathMemoryTests.InRoom(scene))
            {
                scene.Capture.KeepEchoPathBetweenRuns = keep;
                scene.Npc.SetActive(true);
                Assert.That(scene.RunUntil(() => scene.Of<TurnCompleted>().Count >= replies, 40), Is.True, "the replies");
                var warm = scene.Agent.FrontEnd.EchoCanceller.StartedWarm;
                scene.Agent.EndConversation();
                Assert.That(scene.RunUntilInWallTime(() => !scene.Agent.IsConversing), Is.True);
                var store = scene.Capture.EchoPaths;
                return (warm, store.RoomsLoaded, store.RoomsSaved, store.Failures);
            }
        }

        [Test]
        public void The_next_run_starts_from_the_room_the_last_run_learnt()
        {
            // Two replies: a cold canceller has not held this room after the first one.
            var first = Run(true, 2);
            Assert.That(first.Warm, Is.False, "the first run starts cold");
            Assert.That(first.Loaded, Is.Zero);
            Assert.That(first.Saved, Is.EqualTo(1), "the conversation's room was written when it ended");
            var files = Directory.GetFiles(Path.Combine(_data, "Parley", "EchoPaths"));
            Assert.That(files.Length, Is.EqualTo(1));
            Assert.That(Path.GetFileName(files[0]), Is.EqualTo(EchoRoomFiles.FileName("Mic", 24000)));

            var next = Run(true, 1);
            Assert.That(next.Loaded, Is.EqualTo(1));
            Assert.That(next.Warm, Is.True, "the next run's first reply starts warm");

            var off = Run(false, 1);
            Assert.That(off.Loaded, Is.Zero, "the control: the same files, not kept");
            Assert.That(off.Warm, Is.False);
            Assert.That(off.Saved, Is.Zero);
        }

        [Test]
        public void A_data_directory_that_cannot_be_used_is_a_warning_and_a_cold_start()
        {
            // persistentDataPath names a file: the store cannot read its directory, nor later create it to write.
            File.WriteAllText(_data, "not a directory");
            var before = SimulatedConsole.Snapshot().Length;
            var run = Run(true, 2);
            var warnings = SimulatedConsole.Snapshot().Skip(before).Count(l => l.StartsWith("Warning: Parley MicrophoneCapture") && l.Contains("stored echo path"));
            Assert.That(run.Warm, Is.False);
            Assert.That(run.Saved, Is.Zero);
            Assert.That(run.Failures, Is.GreaterThanOrEqualTo(1));
            Assert.That(warnings, Is.EqualTo(run.Failures), "each failure is one warning");
            Assert.That(File.ReadAllText(_data), Is.EqualTo("not a directory"), "nothing written over it");
        }
    }
}
