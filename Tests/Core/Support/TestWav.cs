using System;
using System.IO;
using System.Text;

namespace Parley.Tests.Support
{
    /// <summary>Reads and writes PCM16 WAV fixtures for tests (test code only; the package runtime has its own I/O seams).</summary>
    public static class TestWav
    {
        public sealed class Clip
        {
            public int SampleRate;
            public int Channels;
            /// <summary>Interleaved samples in [-1, 1).</summary>
            public float[] Samples;
            public int Frames => Samples.Length / Channels;
        }

        public static Clip Read(string path)
        {
            using (var r = new BinaryReader(File.OpenRead(path)))
            {
                if (Encoding.ASCII.GetString(r.ReadBytes(4)) != "RIFF") throw new InvalidDataException(path + " is not RIFF");
                r.ReadInt32();
                if (Encoding.ASCII.GetString(r.ReadBytes(4)) != "WAVE") throw new InvalidDataException(path + " is not WAVE");
                int rate = 0, channels = 0, bits = 0;
                while (r.BaseStream.Position < r.BaseStream.Length)
                {
                    var id = Encoding.ASCII.GetString(r.ReadBytes(4));
                    var size = r.ReadInt32();
                    if (id == "fmt ")
                    {
                        var format = r.ReadInt16();
                        channels = r.ReadInt16();
                        rate = r.ReadInt32();
                        r.ReadInt32();
                        r.ReadInt16();
                        bits = r.ReadInt16();
                        r.ReadBytes(size - 16);
                        if (format != 1 || bits != 16) throw new InvalidDataException(path + ": only PCM16 fixtures");
                    }
                    else if (id == "data")
                    {
                        var n = size / 2;
                        var samples = new float[n];
                        for (var i = 0; i < n; i++) samples[i] = r.ReadInt16() / 32768f;
                        return new Clip { SampleRate = rate, Channels = channels, Samples = samples };
                    }
                    else r.ReadBytes(size + (size & 1));
                }
                throw new InvalidDataException(path + " has no data chunk");
            }
        }

        /// <summary>A speech fixture from Tests/Fixtures~/audio/speech, e.g. ("npc-greeting", 48000).</summary>
        public static Clip Speech(string id, int rate) =>
            Read(PackagePaths.Fixture("audio", "speech", rate == 22050 ? id + ".wav" : id + "-" + rate / 1000 + "k.wav"));

        public static void Write(string path, float[] interleaved, int sampleRate, int channels)
        {
            using (var w = new BinaryWriter(File.Create(path)))
            {
                var bytes = interleaved.Length * 2;
                w.Write(Encoding.ASCII.GetBytes("RIFF")); w.Write(36 + bytes); w.Write(Encoding.ASCII.GetBytes("WAVE"));
                w.Write(Encoding.ASCII.GetBytes("fmt ")); w.Write(16); w.Write((short)1); w.Write((short)channels);
                w.Write(sampleRate); w.Write(sampleRate * channels * 2); w.Write((short)(channels * 2)); w.Write((short)16);
                w.Write(Encoding.ASCII.GetBytes("data")); w.Write(bytes);
                foreach (var s in interleaved) w.Write((short)Math.Max(-32768, Math.Min(32767, Math.Round(s * 32768.0))));
            }
        }
    }
}
