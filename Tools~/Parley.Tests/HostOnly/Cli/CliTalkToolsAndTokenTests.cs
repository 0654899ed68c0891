using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Newtonsoft.Json.Linq;
using NUnit.Framework;
using Parley.Servers.Common;
using Parley.Servers.OpenAI;
using Parley.Tests.HostOnly.SelfHosted;
using Parley.Tests.Support;

namespace Parley.Tests.HostOnly.Cli
{
    /// <summary>
    /// `--tools FILE.json` and `--token-url URL` against real loopback servers: an OpenAI Realtime emulator that
    /// accepts only the ephemeral secret and calls the declared tool, and a backend that mints that secret in the
    /// shape of OpenAI's POST /v1/realtime/client_secrets answer.
    /// </summary>
    public class CliTalkToolsAndTokenTests
    {
        const string Secret = "ek_68af296e8e408191a1120ab6383263c2";
        const string ApiKey = "dev-key-parley-test-that-must-stay-home";
        const string ToolsJson = "[{\"name\":\"open_door\",\"description\":\"Opens a door of the forge.\",\"parameters\":{\"type\":\"object\","
                                 + "\"properties\":{\"door\":{\"type\":\"string\",\"enum\":[\"north\",\"south\"]}},\"required\":[\"door\"]}}]";

        /// <summary>The game's backend: mints a client secret per POST (what a server would get from OpenAI and pass on).</summary>
        sealed class TokenBackend : IAsyncDisposable
        {
            readonly WebApplication _app;
            public readonly ConcurrentQueue<string> Requests = new ConcurrentQueue<string>();
            public Uri Uri;

            public TokenBackend()
            {
                _app = KestrelLoopback.CreateBuilder().Build();
                _app.MapPost("/realtime/token", async ctx =>
                {
                    using (var r = new StreamReader(ctx.Request.Body)) Requests.Enqueue(await r.ReadToEndAsync());
                    var expires = DateTimeOffset.UtcNow.AddMinutes(10).ToUnixTimeSeconds();
                    ctx.Response.ContentType = "application/json";
                    await ctx.Response.WriteAsync("{\"value\":\"" + Secret + "\",\"expires_at\":" + expires
                        + ",\"session\":{\"type\":\"realtime\",\"object\":\"realtime.session\",\"id\":\"sess_C9CiUVUzUzYIssh3ELY1d\",\"model\":\"gpt-realtime\",\"output_modalities\":[\"audio\"]}}");
                });
            }

            public static TokenBackend Start()
            {
                var b = new TokenBackend();
                b.Uri = new Uri(CascadeHarness.Run(KestrelLoopback.StartAsync(b._app)), "/realtime/token");
                return b;
            }

            public async System.Threading.Tasks.ValueTask DisposeAsync()
            {
                await _app.StopAsync();
                await _app.DisposeAsync();
            }
        }

        [Test]
        public void The_token_url_secret_authenticates_and_the_declared_tool_is_called_and_answered()
        {
            var emulator = CascadeHarness.Run(OpenAIRealtimeEmulator.StartAsync(new OpenAIRealtimeEmulatorOptions
            {
                ExpectedKey = Secret, ToolCallOnTurn = 1, ToolArgumentsJson = "{\"door\":\"north\"}", PlaybackSpeed = 0,
            }));
            var backend = TokenBackend.Start();
            using (var run = new TalkRun())
            {
                File.WriteAllText(run.PathOf("tools.json"), ToolsJson);
                try
                {
                    var r = run.Talk(TalkRun.EmulatorArgs(emulator).Concat(new[] { "--token-url", backend.Uri.ToString(), "--tools", run.PathOf("tools.json") }),
                        new Dictionary<string, string> { ["OPENAI_API_KEY"] = ApiKey });
                    Assert.That(r.ExitCode, Is.EqualTo(0), r.ToString());
                    Assert.That(r.Stdout + r.Stderr, Does.Not.Contain(ApiKey).And.Not.Contain(Secret), "no secret is printed");
                }
                finally
                {
                    CascadeHarness.Run(backend.DisposeAsync().AsTask());
                    CascadeHarness.Run(emulator.DisposeAsync().AsTask());
                }

                // The emulator accepts only the secret (401 otherwise), so connecting proves the bearer came from the token URL.
                Assert.That(backend.Requests.Count, Is.GreaterThanOrEqualTo(1), "the token URL was asked");
                Assert.That(emulator.Connections, Is.GreaterThanOrEqualTo(1));
                Assert.That(emulator.Violations, Is.Empty);

                Assert.That((string)run.Events("connected").First()["model"], Is.EqualTo("gpt-realtime-mini"), "the model went into the URL");

                // The tool was declared with its JSON-Schema parameters...
                var update = JObject.Parse(emulator.ClientEvents.First(e => e.Contains("\"session.update\"")));
                var declared = (JArray)update["session"]["tools"];
                Assert.That(declared.Select(t => (string)t["name"]), Is.EqualTo(new[] { "open_door" }));
                Assert.That(JToken.DeepEquals(declared[0]["parameters"], JArray.Parse(ToolsJson)[0]["parameters"]), Is.True, declared.ToString());
                // ...called by the emulator, and answered with {"ok": true} on the wire.
                var call = run.Events("tool.call").Single();
                Assert.That((string)call["tool_name"], Is.EqualTo("open_door"));
                Assert.That(JToken.DeepEquals(JToken.Parse((string)call["arguments_json"]), JObject.Parse("{\"door\":\"north\"}")), Is.True);
                var result = run.Events("tool.result").Single();
                Assert.That((string)result["call_id"], Is.EqualTo((string)call["call_id"]));
                Assert.That((string)result["outcome"], Is.EqualTo("ok"));
                Assert.That(JToken.DeepEquals(JToken.Parse((string)result["result_json"]), JObject.Parse("{\"ok\":true}")), Is.True);
                var output = emulator.ClientEvents.Select(JObject.Parse).Single(e => (string)e["type"] == "conversation.item.create" && (string)e["item"]["type"] == "function_call_output");
                Assert.That((string)output["item"]["call_id"], Is.EqualTo((string)call["call_id"]));
                Assert.That(JToken.DeepEquals(JToken.Parse((string)output["item"]["output"]), JObject.Parse("{\"ok\":true}")), Is.True);
                // After the result the model speaks again: audio reached the speaker.
                Assert.That(run.Events("agent.audible"), Is.Not.Empty);
            }
        }

        [Test]
        public void With_tools_the_bundled_emulator_calls_the_first_one_and_hears_ok()
        {
            using (var run = new TalkRun())
            {
                File.WriteAllText(run.PathOf("tools.json"), ToolsJson);
                var r = run.Talk(new[] { "--tools", run.PathOf("tools.json"), "--input", PackagePaths.Fixture("audio", "speech", "user-question-48k.wav") });
                Assert.That(r.ExitCode, Is.EqualTo(0), r.ToString());
                var call = run.Events("tool.call").Single();
                Assert.That((string)call["tool_name"], Is.EqualTo("open_door"));
                var result = run.Events("tool.result").Single();
                Assert.That((string)result["outcome"], Is.EqualTo("ok"));
                Assert.That((string)result["result_json"], Is.EqualTo("{\"ok\":true}"));
                // The reply after the result was heard.
                Assert.That(run.Events("agent.playback_done"), Is.Not.Empty);
            }
        }

        [Test]
        public void An_unreachable_token_url_is_one_clear_line()
        {
            var r = CliProcess.Run(new[] { "talk", "--provider", "openai", "--token-url", "http://127.0.0.1:1/token" });
            Assert.That(r.ExitCode, Is.EqualTo(4), r.ToString());
            Assert.That(r.Stderr.Trim().Split('\n').Length, Is.EqualTo(1), r.Stderr);
            Assert.That(r.Stderr, Does.Contain("could not get a credential").And.Contain("Token endpoint http://127.0.0.1:1/token unreachable"));
        }
    }
}
