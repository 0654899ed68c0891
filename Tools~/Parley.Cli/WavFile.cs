using System;
using System.IO;
using NAudio.Wave;

namespace Parley.Cli
{
    /// <summary>WAV I/O for the CLI (NAudio.Core): any PCM 8/16/24/32-bit or IEEE float file in, float frames out.</summary>
    public sealed class WavFile
    {
        public int SampleRate;
        public int Channels;
        /// <summary>Interleaved samples in [-1, 1].</summary>
        public float[] Samples;
        public int Frames => Samples.Length / Channels;
        public double DurationMs => Frames * 1000.0 / SampleRate;

        /// <summary>Reads <paramref name="path"/> or throws a <see cref="CliError"/> that says what to do.</summary>
        public static WavFile Read(string path, string what = "input")
        {
            if (string.IsNullOrWhiteSpace(path)) throw new CliError("No " + what + " WAV given.", ExitCodes.Usage);
            if (Directory.Exists(path)) throw new CliError("The " + what + " '" + path + "' is a folder; give a .wav file.", ExitCodes.BadInput);
            if (!File.Exists(path)) throw new CliError("The " + what + " file '" + path + "' does not exist; check the path.", ExitCodes.BadInput);
            try
            {
                using (var reader = new WaveFileReader(path))
                {
                    var f = reader.WaveFormat;
                    var pcm = f.Encoding == WaveFormatEncoding.Pcm && (f.BitsPerSample == 8 || f.BitsPerSample == 16 || f.BitsPerSample == 24 || f.BitsPerSample == 32);
                    var flt = f.Encoding == WaveFormatEncoding.IeeeFloat && f.BitsPerSample == 32;
                    var ext = f.Encoding == WaveFormatEncoding.Extensible;
                    if (!pcm && !flt && !ext)
                        throw new CliError("The " + what + " '" + path + "' is " + f.Encoding + " " + f.BitsPerSample + "-bit; use PCM (8/16/24/32-bit) or 32-bit float WAV (e.g. `sox in.wav -b 16 out.wav`).", ExitCodes.BadInput);
                    if (f.SampleRate < 8000 || f.SampleRate > 192000 || f.Channels < 1 || f.Channels > 8)
                        throw new CliError("The " + what + " '" + path + "' has " + f.SampleRate + " Hz x" + f.Channels + "; Parley takes 8-192 kHz and 1-8 channels.", ExitCodes.BadInput);
                    var provider = reader.ToSampleProvider();
                    var total = (int)(reader.SampleCount * f.Channels);
                    var samples = new float[total];
                    var read = 0;
                    while (read < total)
                    {
                        var n = provider.Read(samples, read, Math.Min(65536, total - read));
                        if (n <= 0) break;
                        read += n;
                    }
                    if (read < total) Array.Resize(ref samples, read - read % f.Channels);
                    if (samples.Length == 0) throw new CliError("The " + what + " '" + path + "' holds no audio.", ExitCodes.BadInput);
                    return new WavFile { SampleRate = f.SampleRate, Channels = f.Channels, Samples = samples };
                }
            }
            catch (CliError) { throw; }
            catch (UnauthorizedAccessException) { throw new CliError("The " + what + " '" + path + "' cannot be read (permission denied).", ExitCodes.BadInput); }
            catch (Exception e) when (e is FormatException || e is InvalidDataException || e is EndOfStreamException || e is ArgumentException || e is IOException)
            {
                throw new CliError("The " + what + " '" + path + "' is not a readable WAV file (" + e.Message.TrimEnd('.') + "); give a RIFF/WAVE file.", ExitCodes.BadInput);
            }
        }

        /// <summary>Writes 16-bit PCM.</summary>
        public static void Write(string path, ReadOnlySpan<float> interleaved, int sampleRate, int channels)
        {
            using (var w = OpenWriter(path, sampleRate, channels)) w.Write(interleaved);
        }

        public static Writer OpenWriter(string path, int sampleRate, int channels)
        {
            try { return new Writer(new WaveFileWriter(path, new WaveFormat(sampleRate, 16, channels))); }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is DirectoryNotFoundException)
            {
                throw new CliError("Cannot write '" + path + "': " + e.Message, ExitCodes.BadInput);
            }
        }

        /// <summary>A streaming 16-bit writer (the virtual speaker writes what it plays as it plays it).</summary>
        public sealed class Writer : IDisposable
        {
            readonly WaveFileWriter _w;
            byte[] _bytes = new byte[0];
            public long Frames;
            internal Writer(WaveFileWriter w) { _w = w; }

            public void Write(ReadOnlySpan<float> interleaved)
            {
                if (_bytes.Length < interleaved.Length * 2) _bytes = new byte[interleaved.Length * 2];
                for (var i = 0; i < interleaved.Length; i++)
                {
                    var v = (int)Math.Round(Math.Clamp(interleaved[i], -1f, 1f) * 32767f);
                    _bytes[2 * i] = (byte)v;
                    _bytes[2 * i + 1] = (byte)(v >> 8);
                }
                _w.Write(_bytes, 0, interleaved.Length * 2);
                Frames += interleaved.Length / _w.WaveFormat.Channels;
            }

            public void Dispose() => _w.Dispose();
        }
    }
}
