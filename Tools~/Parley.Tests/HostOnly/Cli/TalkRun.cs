using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Newtonsoft.Json.Linq;
using Parley.Servers.OpenAI;
using Parley.Tests.HostOnly.SelfHosted;
using Parley.Tests.Support;

namespace Parley.Tests.HostOnly.Cli
{
    /// <summary>
    /// One `parley talk --fast` (or `scene --fast`) run in a temporary folder: the reply WAV, events and metrics it wrote, read back
    /// for the assertions. The CLI is a real child process; the servers it talks to run in the test process.
    /// </summary>
    public sealed class TalkRun : IDisposable
    {
        public readonly string Dir = Path.Combine(Path.GetTempPath(), "parley-talk-" + Guid.NewGuid().ToString("N"));
        public CliProcess.Result Result;

        public TalkRun() { Directory.CreateDirectory(Dir); }

        public string PathOf(string name) => Path.Combine(Dir, name);

        public CliProcess.Result Talk(IEnumerable<string> extra, IDictionary<string, string> env = null) => Run("talk", extra, env);

        /// <summary>`parley scene --fast` with the same outputs; reply.wav is then what the AudioListener heard.</summary>
        public CliProcess.Result Scene(IEnumerable<string> extra, IDictionary<string, string> env = null) => Run("scene", extra, env);

        /// <summary>
        /// `command` (talk or scene) against an OpenAI emulator in the test process, on the one-question input, then the
        /// emulator stopped (its record stays readable). A fresh test key is its ExpectedKey (unless set) and the run's
        /// OPENAI_API_KEY.
        /// </summary>
        public CliProcess.Result AgainstOpenAIEmulator(string command, OpenAIRealtimeEmulatorOptions options, out OpenAIRealtimeEmulator emulator, params string[] more)
        {
            options.ExpectedKey = options.ExpectedKey ?? "sk-test-" + Guid.NewGuid().ToString("N");
            emulator = CascadeHarness.Run(OpenAIRealtimeEmulator.StartAsync(options));
            try
            {
                return Run(command, EmulatorArgs(emulator).Concat(more), new Dictionary<string, string> { ["OPENAI_API_KEY"] = options.ExpectedKey });
            }
            finally
            {
                CascadeHarness.Run(emulator.DisposeAsync().AsTask());
            }
        }

        /// <summary>
        /// The arguments that point a run at an OpenAI emulator in the test process, with the one-question input. Real-time
        /// pacing (--speed 1): --fast could outrun an emulator sharing the test process on a loaded machine.
        /// </summary>
        public static IEnumerable<string> EmulatorArgs(OpenAIRealtimeEmulator emulator) => new[]
        {
            "--speed", "1",
            // The server's base address: the CLI adds the GA path and ?model=.
            "--provider", "openai", "--url", emulator.Uri.GetLeftPart(UriPartial.Authority), "--model", "gpt-realtime-mini",
            "--input", PackagePaths.Fixture("audio", "speech", "user-question-48k.wav"),
        };

        CliProcess.Result Run(string command, IEnumerable<string> extra, IDictionary<string, string> env)
        {
            var args = new[] { command, "--fast", "--output", PathOf("reply.wav"), "--events", PathOf("events.jsonl"), "--metrics", PathOf("metrics.json") };
            Result = CliProcess.Run(args.Concat(extra), 180000, env);
            return Result;
        }

        public List<JObject> Events() => File.ReadAllLines(PathOf("events.jsonl")).Select(JObject.Parse).ToList();

        public List<JObject> Events(string name) => Events().Where(e => (string)e["event"] == name).ToList();

        public JObject Metrics() => JObject.Parse(File.ReadAllText(PathOf("metrics.json")));

        public TestWav.Clip Reply() => TestWav.Read(PathOf("reply.wav"));

        /// <summary>Σx² / rate: a signal's energy in seconds of full scale, unchanged by resampling band-limited audio.</summary>
        public static double Energy(float[] samples, int rate)
        {
            double sum = 0;
            foreach (var s in samples) sum += (double)s * s;
            return sum / rate;
        }

        /// <summary>RMS level of samples [from, to) in dBFS (−200 for digital silence).</summary>
        public static double RmsDb(float[] x, int from, int to)
        {
            from = Math.Max(0, from);
            to = Math.Min(x.Length, to);
            double sum = 0;
            for (var i = from; i < to; i++) sum += (double)x[i] * x[i];
            return 10 * Math.Log10(sum / Math.Max(1, to - from) + 1e-20);
        }

        public void Dispose()
        {
            try { Directory.Delete(Dir, true); } catch (IOException) { }
        }
    }
}
