// Settings of a simulated player run: the audio device, the frame rate and its irregularity, the seed.
using System.Collections.Generic;
using UnityEngine;

namespace Parley.Simulation
{
    /// <summary>A frame that takes longer than it should (a GC pause, a level load): the frame at <see cref="AtSeconds"/> lasts <see cref="Seconds"/> more.</summary>
    public struct PlayerHitch
    {
        public double AtSeconds;
        public double Seconds;

        public PlayerHitch(double atSeconds, double seconds) { AtSeconds = atSeconds; Seconds = seconds; }
    }

    public sealed class SimulatedPlayerOptions
    {
        public int OutputSampleRate { get; set; } = 48000;

        /// <summary>Frames per DSP block (AudioSettings.GetDSPBufferSize bufferLength; OnAudioFilterRead block size).</summary>
        public int DspBufferSize { get; set; } = 1024;

        public int NumBuffers { get; set; } = 4;

        public AudioSpeakerMode SpeakerMode { get; set; } = AudioSpeakerMode.Stereo;

        /// <summary>Fractional deviation of the output device's clock from the virtual clock.</summary>
        public double OutputClockDrift { get; set; }

        public double FramesPerSecond { get; set; } = 60.0;

        /// <summary>Each frame lasts 1/fps x (1 + FrameJitter x u), u uniform in [-1, 1).</summary>
        public double FrameJitter { get; set; } = 0.1;

        /// <summary>Chance that a frame is a hitch of <see cref="RandomHitchSeconds"/>.</summary>
        public double RandomHitchProbability { get; set; }

        public double RandomHitchSeconds { get; set; } = 0.25;

        public List<PlayerHitch> Hitches { get; } = new List<PlayerHitch>();

        /// <summary>Frames per PCMReaderCallback call of a streamed clip (Unity's size is unconfirmed; it reads ahead in larger chunks than a DSP block).</summary>
        public int StreamChunkFrames { get; set; } = 4096;

        public ulong Seed { get; set; } = 1;

        /// <summary>Room reserved for <see cref="SimulatedPlayer.BlendShapes"/>, so recording them allocates nothing in a measured window.</summary>
        public int BlendShapeRecordCapacity { get; set; }

        public RuntimePlatform Platform { get; set; } = RuntimePlatform.LinuxPlayer;

        /// <summary>
        /// What Application.persistentDataPath returns: a directory that outlives the run (give two players the same one
        /// to simulate two runs of an app). Null: a new directory under the system's temporary path, made on first read.
        /// </summary>
        public string PersistentDataPath { get; set; }
    }
}
