using System;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Parley.Servers.Common
{
    /// <summary>Starts a Kestrel app on 127.0.0.1 with an ephemeral port (never another address).</summary>
    public static class KestrelLoopback
    {
        public static WebApplicationBuilder CreateBuilder(bool http2Only = false)
        {
            var builder = WebApplication.CreateBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(k =>
            {
                k.Listen(System.Net.IPAddress.Loopback, 0, o =>
                {
                    if (http2Only) o.Protocols = Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols.Http2;
                });
            });
            return builder;
        }

        public static async Task<Uri> StartAsync(WebApplication app)
        {
            await app.StartAsync().ConfigureAwait(false);
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>();
            var url = addresses.Addresses.First();
            return new Uri(url.Replace("[::1]", "127.0.0.1"));
        }
    }

    /// <summary>PCM helpers the test servers share: energy VAD, WAV bytes.</summary>
    public static class ServerAudio
    {
        /// <summary>RMS of a PCM16 frame as a fraction of full scale.</summary>
        public static double Rms(ReadOnlySpan<short> frame)
        {
            double sum = 0;
            foreach (var s in frame) sum += (double)s * s;
            return Math.Sqrt(sum / Math.Max(1, frame.Length)) / 32768.0;
        }

        public static byte[] Wav(ReadOnlySpan<short> pcm, int rate)
        {
            var bytes = new byte[44 + pcm.Length * 2];
            Parley.Providers.MiniCpmo.WavChunk.Write(pcm, rate, bytes);
            return bytes;
        }

        public static short[] Pcm(ReadOnlySpan<byte> wav, out int rate, out int channels)
        {
            Parley.Providers.MiniCpmo.WavChunk.Parse(wav, out rate, out channels, out var offset, out var count);
            var pcm = new short[count / 2];
            System.Runtime.InteropServices.MemoryMarshal.Cast<byte, short>(wav.Slice(offset, count)).CopyTo(pcm);
            return pcm;
        }

        /// <summary>A stand-in voice for text no fixture covers: one 300 ms tone burst per word.</summary>
        public static short[] Babble(string text, int rate)
        {
            var words = Math.Max(1, text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);
            var per = rate * 3 / 10;
            var pcm = new short[words * per];
            for (var w = 0; w < words; w++)
                for (var i = 0; i < per * 2 / 3; i++)
                    pcm[w * per + i] = (short)(8000 * Math.Sin(2 * Math.PI * (180 + 20 * w) * i / rate));
            return pcm;
        }
    }
}
