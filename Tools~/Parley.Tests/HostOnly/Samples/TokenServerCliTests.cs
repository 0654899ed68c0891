using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using NUnit.Framework;
using Parley.Servers.OpenAI;
using Parley.Tests.HostOnly.Cli;
using Parley.Tests.Support;

namespace Parley.Tests.HostOnly.Samples
{
    /// <summary>
    /// `parley talk --token-url … --token-auth-env …` end to end: the CLI presents the player token to the sample's
    /// server, which mints a client secret from the fake vendor, and the OpenAI Realtime emulator accepts only that secret.
    /// </summary>
    public class TokenServerCliTests
    {
        [Test]
        public async Task The_cli_gets_a_secret_from_the_sample_server_with_the_player_token_and_talks_with_it()
        {
            await using var vendors = await FakeTokenVendors.StartAsync();
            await using var server = await TokenServerHarness.StartAsync(vendors);
            await using var emulator = await OpenAIRealtimeEmulator.StartAsync(new OpenAIRealtimeEmulatorOptions { ExpectedKey = vendors.OpenAISecret, PlaybackSpeed = 0 });
            using var run = new TalkRun();
            var r = run.Talk(new[]
            {
                "--speed", "1", "--provider", "openai", "--url", emulator.Uri.GetLeftPart(UriPartial.Authority),
                "--token-url", new Uri(server.Root, "/v1/tokens/openai").ToString(), "--token-auth-env", "PARLEY_TEST_PLAYER_TOKEN",
                "--input", PackagePaths.Fixture("audio", "speech", "user-question-48k.wav"),
            }, new Dictionary<string, string> { ["PARLEY_TEST_PLAYER_TOKEN"] = server.PlayerToken("cli-player") });
            Assert.That(r.ExitCode, Is.EqualTo(0), r.ToString());
            Assert.That(r.Stdout + r.Stderr, Does.Not.Contain(vendors.OpenAISecret).And.Not.Contain(vendors.OpenAIKey));
            // The emulator answers 401 to anything but the minted secret, so a connection proves the chain.
            Assert.That(emulator.Connections, Is.GreaterThanOrEqualTo(1));
            Assert.That(vendors.OpenAIRequests.Count, Is.EqualTo(emulator.Connections), "one mint per connection");
            Assert.That(server.Logs.All, Does.Contain("cli-player"));
            Assert.That(run.Events("agent.audible"), Is.Not.Empty);
        }

        [Test]
        public void Without_the_player_token_the_cli_reports_the_refusal_in_one_line()
        {
            var r = CliProcess.Run(new[] { "talk", "--provider", "openai", "--token-url", "http://127.0.0.1:1/v1/tokens/openai", "--token-auth-env", "PARLEY_TEST_UNSET_VARIABLE" });
            Assert.That(r.ExitCode, Is.EqualTo(4), r.ToString());
            Assert.That(r.Stderr, Does.Contain("PARLEY_TEST_UNSET_VARIABLE").And.Contain("--token-auth-env"));
            Assert.That(r.Stderr.Trim().Split('\n').Length, Is.EqualTo(1), r.Stderr);
        }
    }
}
