using System;
using System.IO;

namespace Parley.Fuzz
{
    /// <summary>
    /// Coverage-guided fuzzing under afl-fuzz (<c>Tools~/fuzz-afl</c>): SharpFuzz's persistent loop hands each
    /// input to one target; a typed error is a clean refusal, anything else escapes and afl-fuzz records it as a
    /// crash. Branch coverage comes from Parley.Core.dll instrumented by the <c>sharpfuzz</c> tool.
    /// </summary>
    static class AflMode
    {
        public static int Run(string name)
        {
            // The target is made inside the loop: its constructor may run instrumented code, which writes coverage
            // to afl's shared memory, and SharpFuzz maps that only once the loop starts.
            FuzzTarget target = null;
            var buffer = new MemoryStream();
            try
            {
                SharpFuzz.Fuzzer.Run(stream =>
                {
                    target ??= FuzzTargets.Create(name);
                    buffer.SetLength(0);
                    stream.CopyTo(buffer);
                    var input = buffer.ToArray();
                    try { target.Run(input); }
                    catch (Exception e) when (!(e is FuzzFinding) && target.IsTypedError(e)) { }
                });
            }
            finally { target?.Dispose(); }
            return 0;
        }

        /// <summary>Writes the target's seeds (the recorded frames) as afl-fuzz's input corpus.</summary>
        public static int WriteSeeds(string name, string dir)
        {
            Directory.CreateDirectory(dir);
            using (var target = FuzzTargets.Create(name))
            {
                var n = 0;
                foreach (var seed in target.Seeds(SeedFiles.Locate()))
                    File.WriteAllBytes(Path.Combine(dir, "seed-" + (n++).ToString("D4")), seed);
                Console.WriteLine(name + ": " + n + " seeds in " + dir);
            }
            return 0;
        }
    }
}
