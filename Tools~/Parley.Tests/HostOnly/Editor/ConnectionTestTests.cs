using System;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using NUnit.Framework;
using Parley.Editor.Inspectors;
using Parley.Providers.Auth;
using Parley.Servers.OpenAI;
using Parley.Tests.HostOnly.Cli;
using Parley.Unity.Profiles;
using UnityEngine;

namespace Parley.Tests.Editor
{
    /// <summary>The inspector's Test connection against the bundled OpenAI Realtime emulator on loopback (as `parley talk --provider emulator` runs it).</summary>
    public class ConnectionTestTests
    {
        static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

        static OpenAIRealtimeProfile Profile(OpenAIRealtimeEmulator emulator)
        {
            var p = ScriptableObject.CreateInstance<OpenAIRealtimeProfile>();
            p.ServerUrl = emulator.Uri.ToString();
            p.Model = "gpt-realtime";
            p.Voice = "marin";
            return p;
        }

        [Test]
        public async Task Measures_connect_and_first_audio_of_the_reply_to_a_short_prompt()
        {
            var key = "test-" + Guid.NewGuid().ToString("N");
            await using var emulator = await OpenAIRealtimeEmulator.StartAsync(new OpenAIRealtimeEmulatorOptions { ExpectedKey = key, PlaybackSpeed = 1 });
            var profile = Profile(emulator);
            var result = await ConnectionTest.RunAsync(() => profile.CreateProvider(new StaticCredential(key), null), profile.ToSessionConfig(),
                ConnectionTest.DefaultPrompt, Timeout, CancellationToken.None, keepSamples: 2400);

            Assert.That(result.Succeeded, Is.True, result.Error);
            TestContext.Out.WriteLine(result.Summary());
            Assert.That(result.ConnectMs, Is.GreaterThan(0));
            Assert.That(result.FirstAudioMs, Is.GreaterThan(0));
            Assert.That(result.SampleRate, Is.EqualTo(24000));
            // The audio timed is the emulator's first reply, sample for sample.
            Assert.That(result.FirstSamples, Is.EqualTo(emulator.Clips["npc-greeting"].Take(2400).ToArray()));
            Assert.That(emulator.ClientEvents, Has.Some.Contains(ConnectionTest.DefaultPrompt), "the prompt was sent as a user message");
            Assert.That(emulator.Violations, Is.Empty);
            Assert.That(result.Summary(), Does.StartWith("Connected in ").And.Contain("first audio"));
        }

        [Test]
        public async Task Measures_connect_and_first_audio_against_parley_emulator_as_the_CLI_runs_it()
        {
            using (var emulator = new CliEmulatorProcess())
            {
                var profile = ScriptableObject.CreateInstance<OpenAIRealtimeProfile>();
                profile.ServerUrl = emulator.Uri.ToString();
                profile.Model = "gpt-realtime";
                var wall = Stopwatch.StartNew();
                var result = await ConnectionTest.RunAsync(() => profile.CreateProvider(new StaticCredential("any-key-for-the-emulator"), null),
                    profile.ToSessionConfig(), ConnectionTest.DefaultPrompt, Timeout, CancellationToken.None);
                var elapsedMs = wall.Elapsed.TotalMilliseconds;

                Assert.That(result.Succeeded, Is.True, result.Error);
                TestContext.Out.WriteLine(result.Summary());
                Assert.That(double.IsFinite(result.ConnectMs.Value) && result.ConnectMs > 0, Is.True, "connect time " + result.ConnectMs);
                Assert.That(double.IsFinite(result.FirstAudioMs.Value) && result.FirstAudioMs > 0, Is.True, "first audio " + result.FirstAudioMs);
                // Connecting, then the prompt's first audio: both inside the call, one after the other.
                Assert.That(result.ConnectMs + result.FirstAudioMs, Is.LessThanOrEqualTo(elapsedMs));
                Assert.That(result.AudioSamples, Is.GreaterThan(0));
                Assert.That(emulator.Terminate(out var error), Is.True, error);
            }
        }

        [Test]
        public async Task A_refused_key_is_reported_without_a_connect_time_or_the_key()
        {
            var key = "test-" + Guid.NewGuid().ToString("N");
            await using var emulator = await OpenAIRealtimeEmulator.StartAsync(new OpenAIRealtimeEmulatorOptions { ExpectedKey = "another-" + key });
            var profile = Profile(emulator);
            var result = await ConnectionTest.RunAsync(() => profile.CreateProvider(new StaticCredential(key), null), profile.ToSessionConfig(),
                null, Timeout, CancellationToken.None);

            Assert.That(result.Succeeded, Is.False);
            Assert.That(result.ConnectMs, Is.Null);
            Assert.That(result.FirstAudioMs, Is.Null);
            Assert.That(result.Error, Does.Contain("401").Or.Contain("uthentication"));
            Assert.That(result.Summary(), Does.StartWith("Failed").And.Not.Contain(key));
        }

        [Test]
        public async Task A_server_that_never_answers_the_prompt_times_out_after_connecting()
        {
            await using var emulator = await OpenAIRealtimeEmulator.StartAsync(new OpenAIRealtimeEmulatorOptions { Fault = EmulatorFault.RateLimitResponses });
            var profile = Profile(emulator);
            var result = await ConnectionTest.RunAsync(() => profile.CreateProvider(new StaticCredential("k"), null), profile.ToSessionConfig(),
                null, Timeout, CancellationToken.None);

            Assert.That(result.Succeeded, Is.False);
            Assert.That(result.ConnectMs, Is.GreaterThan(0), "the session itself opened");
            Assert.That(result.FirstAudioMs, Is.Null);
            Assert.That(result.Error, Does.Contain("rate_limit_exceeded"));
        }
    }
}
