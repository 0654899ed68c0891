using NAudio.Codecs;
using NUnit.Framework;
using Parley.Audio.Kernels;

namespace Parley.Tests.HostOnly.Audio
{
    /// <summary>
    /// Cross-check of the G.711 kernel against NAudio's independent implementation. Decoding agrees on 255 of
    /// 256 codes (not on µ-law negative zero) and encoding on all non-negative inputs. For negative inputs NAudio negates in two's
    /// complement where the ITU-T reference (G.191) takes the one's complement, so NAudio's decision levels
    /// sit one LSB away: our code for x equals NAudio's code for x + 1 (x ≤ -2). This pins that difference down.
    /// </summary>
    public class G711NAudioTests
    {
        [Test]
        public void Decoding_matches_naudio_except_mu_law_negative_zero()
        {
            var differ = new System.Collections.Generic.List<string>();
            for (var c = 0; c < 256; c++)
            {
                if (G711Kernel.MuLawDecode((byte)c) != MuLawDecoder.MuLawToLinearSample((byte)c))
                    differ.Add("mu " + c + ": " + G711Kernel.MuLawDecode((byte)c) + " vs " + MuLawDecoder.MuLawToLinearSample((byte)c));
                if (G711Kernel.ALawDecode((byte)c) != ALawDecoder.ALawToLinearSample((byte)c))
                    differ.Add("a " + c + ": " + G711Kernel.ALawDecode((byte)c) + " vs " + ALawDecoder.ALawToLinearSample((byte)c));
            }
            // The one difference: µ-law 0x7F ("negative zero") is 0 in G.711/G.191; NAudio's table says -1.
            Assert.That(differ, Is.EqualTo(new[] { "mu 127: 0 vs -1" }));
        }

        [Test]
        public void Encoding_matches_naudio_for_non_negative_inputs_and_is_one_lsb_apart_below_zero()
        {
            int muSame = 0, aSame = 0;
            for (var x = -32768; x <= 32767; x++)
            {
                var s = (short)x;
                if (x >= 0)
                {
                    Assert.That(G711Kernel.MuLawEncode(s), Is.EqualTo(MuLawEncoder.LinearToMuLawSample(s)), "µ-law " + x);
                    Assert.That(G711Kernel.ALawEncode(s), Is.EqualTo(ALawEncoder.LinearToALawSample(s)), "A-law " + x);
                }
                else if (x <= -2)
                {
                    Assert.That(G711Kernel.MuLawEncode(s), Is.EqualTo(MuLawEncoder.LinearToMuLawSample((short)(x + 1))), "µ-law " + x);
                    Assert.That(G711Kernel.ALawEncode(s), Is.EqualTo(ALawEncoder.LinearToALawSample((short)(x + 1))), "A-law " + x);
                    if (G711Kernel.MuLawEncode(s) == MuLawEncoder.LinearToMuLawSample(s)) muSame++;
                    if (G711Kernel.ALawEncode(s) == ALawEncoder.LinearToALawSample(s)) aSame++;
                }
            }
            // The offset only matters at decision levels: nearly every negative input still gets NAudio's code.
            Assert.That(muSame, Is.GreaterThan(32000));
            Assert.That(aSame, Is.GreaterThan(32000));
        }
    }
}
