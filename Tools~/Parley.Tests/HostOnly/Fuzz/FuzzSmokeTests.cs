using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using NUnit.Framework;
using Parley.Fuzz;

namespace Parley.Tests.HostOnly.Fuzz
{
    /// <summary>
    /// The short, seeded fuzzing run CI does for every decoder of server input (the long run is
    /// Tools~/Parley.Fuzz, figures in Documentation~/reliability.md). Same seed, same inputs, same answer on any
    /// machine: the outcomes of each input are a decoded message or the decoder's typed error, nothing else.
    /// </summary>
    public class FuzzSmokeTests
    {
        const int Inputs = 4000;
        const int Seed = 20261130;

        static IEnumerable<string> Targets() => FuzzTargets.Names;

        [TestCaseSource(nameof(Targets))]
        public void A_seeded_run_gives_only_decoded_messages_or_typed_errors(string name)
        {
            byte[] hung = null;
            FuzzReport report;
            using (var target = FuzzTargets.Create(name))
            {
                var files = SeedFiles.Locate(TestContext.CurrentContext.TestDirectory);
                var hang = new TaskCompletionSource<bool>();
                // The limit only tells a hang (an input looping forever) from a slow machine: inputs take microseconds.
                var run = Task.Run(() => Fuzzer.Run(target, files, Inputs, Seed, null, input => { hung = input; hang.TrySetResult(true); }, TimeSpan.FromSeconds(60)));
                Task.WaitAny(run, hang.Task);
                Assert.That(hung, Is.Null, () => name + " hung on: " + System.Text.Encoding.UTF8.GetString(hung));
                report = run.Result;
            }
            Assert.That(report.Inputs, Is.EqualTo(Inputs));
            Assert.That(report.Findings.Select(Describe), Is.Empty, report.ToString());
            // Both outcomes occur, so the run reached past the first checks of the decoder.
            Assert.That(report.Decoded, Is.GreaterThan(Inputs / 100), report.ToString());
            Assert.That(report.Rejected, Is.GreaterThan(Inputs / 100), report.ToString());
        }

        static string Describe(Finding f) =>
            f.Signature + " x" + f.Count + " (" + f.Error.Message + "), first input: " + System.Text.Encoding.UTF8.GetString(f.Input);

        [Test]
        public void A_run_is_reproducible_from_its_seed()
        {
            var files = SeedFiles.Locate(TestContext.CurrentContext.TestDirectory);
            var a = new Mutator(7, FuzzTargets.Create("sse-parser").Seeds(files).ToList());
            var b = new Mutator(7, FuzzTargets.Create("sse-parser").Seeds(files).ToList());
            for (var i = 0; i < 200; i++) Assert.That(a.Next(), Is.EqualTo(b.Next()));
        }

        /// <summary>The harness can fail: a decoder that leaks an untyped exception is reported, with its input.</summary>
        [Test]
        public void A_leaked_exception_is_a_finding()
        {
            var report = Fuzzer.Run(new Leaky(), SeedFiles.Locate(TestContext.CurrentContext.TestDirectory), 500, Seed);
            Assert.That(report.Findings, Has.Count.EqualTo(1));
            Assert.That(report.Findings[0].Error, Is.TypeOf<IndexOutOfRangeException>());
            Assert.That(report.Findings[0].Input.Length, Is.LessThan(3));
            Assert.That(report.Rejected, Is.GreaterThan(0), "FormatException counts as typed");
        }

        sealed class Leaky : FuzzTarget
        {
            public override string Name => "leaky";
            public override string Decoder => "reads byte 2 without checking the length";
            public override string TypedErrors => "FormatException";
            public override bool IsTypedError(Exception e) => e is FormatException;
            public override IEnumerable<byte[]> Seeds(SeedFiles files) { yield return new byte[] { 1, 2, 3, 4 }; }

            public override Outcome Run(byte[] input)
            {
                if (input.Length > 0 && input[0] != 1) throw new FormatException("not ours");
                return input[2] == 3 ? Outcome.Decoded : Outcome.Rejected;
            }
        }
    }
}
