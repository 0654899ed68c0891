using System;
using System.Collections.Generic;
using NUnit.Framework;
using Parley.Simulation;
using Parley.Tests.Support;
using UnityEngine;

namespace Parley.Tests.Simulation
{
    /// <summary>One simulated player per test, disposed even when the test fails (the engine state is per process).</summary>
    public abstract class SimulationFixture
    {
        protected SimulatedPlayer Player;

        protected SimulatedPlayer StartPlayer(SimulatedPlayerOptions options = null)
        {
            Player = new SimulatedPlayer(options ?? new SimulatedPlayerOptions());
            return Player;
        }

        [TearDown]
        public void DisposePlayer()
        {
            Player?.Dispose();
            Player = null;
        }

        /// <summary>The conversation fixture (three utterances over a −60 dBFS noise floor), mono 48 kHz.</summary>
        protected static float[] Speech48k()
        {
            var clip = TestWav.Read(PackagePaths.Fixture("audio", "conversation", "user-turns-48k.wav"));
            Assert.That(clip.Channels, Is.EqualTo(1));
            Assert.That(clip.SampleRate, Is.EqualTo(48000));
            return clip.Samples;
        }

        protected static GameObject ObjectWithListener()
        {
            var go = new GameObject("Listener");
            go.AddComponent<AudioListener>();
            return go;
        }
    }

    /// <summary>
    /// Reads a microphone clip the way capture code must: every frame, [last, GetPosition) with wrap-around
    /// (audio-behaviour.md §2), into one long list. Independent of the simulator's own bookkeeping.
    /// </summary>
    public sealed class MicrophoneReader : MonoBehaviour
    {
        public string Device;
        public AudioClip Clip;
        public readonly List<float> Captured = new List<float>();
        public readonly List<int> Positions = new List<int>();
        int _last;

        void Update()
        {
            if (Clip == null) return;
            var pos = Microphone.GetPosition(Device);
            Positions.Add(pos);
            var n = (pos - _last + Clip.samples) % Clip.samples;
            if (n == 0) return;
            var buffer = new float[n];
            Clip.GetData(buffer, _last);
            Captured.AddRange(buffer);
            _last = pos;
        }
    }
}
