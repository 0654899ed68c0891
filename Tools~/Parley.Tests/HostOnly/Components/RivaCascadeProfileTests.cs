using System;
using System.Linq;
using System.Threading;
using NUnit.Framework;
using Parley.Providers;
using Parley.Servers.Llm;
using Parley.Servers.Riva;
using Parley.Tests.HostOnly.SelfHosted;
using Parley.Unity.Profiles;
using UnityEngine;

namespace Parley.Tests.HostOnly.Components
{
    /// <summary>
    /// The Riva cascade profile (what the Self-hosted sample's asset holds) against loopback servers laid out as a
    /// local install is: the ASR NIM and the TTS NIM as two containers on two ports, and an OpenAI-compatible LLM.
    /// </summary>
    public class RivaCascadeProfileTests
    {
        [Test]
        public void A_turn_goes_through_the_ASR_the_LLM_and_the_TTS_the_profile_points_at()
        {
            var question = Pcm.Text("user-question");
            var price = Pcm.Text("npc-price");
            var asrScript = new NimRealtimeScript();
            asrScript.Transcripts.Enqueue(question);
            var ttsScript = new NimRealtimeScript { TtsRate = 24000, Voice = text => text == price ? Pcm.Speech("npc-price", 24000) : null };
            var asr = CascadeHarness.Run(NimRealtimeServer.StartAsync(asrScript));
            var tts = CascadeHarness.Run(NimRealtimeServer.StartAsync(ttsScript));
            var llm = CascadeHarness.Run(ChatCompletionsServer.StartAsync(_ => new ChatReply { Text = price }));
            try
            {
                var profile = ScriptableObject.CreateInstance<RivaCascadeProfile>();
                profile.AsrUrl = asr.BaseUri.ToString();
                profile.TtsUrl = tts.BaseUri.ToString();
                profile.LlmUrl = llm.BaseUri.ToString();
                profile.Model = "llama3.1:8b";
                profile.Voice = "Magpie-Multilingual.EN-US.Aria";
                profile.OutputSampleRate = 24000;
                profile.Instructions = "You are a blacksmith.";
                var listener = new RecordingListener();
                using (var provider = profile.CreateProvider(null, null))
                {
                    CascadeHarness.Run(provider.ConnectAsync(profile.ToSessionConfig(), listener, CancellationToken.None));
                    Assert.That(provider.Capabilities.OutputSampleRate, Is.EqualTo(24000));
                    Assert.That(provider.Capabilities.FullDuplex, Is.True);
                    var speech = Pcm.WithSilence(Pcm.Speech("user-question", 16000), 16000, 1000);
                    for (var i = 0; i < speech.Length; i += 320)
                    {
                        var t = provider.SendAudioAsync(new ReadOnlyMemory<short>(speech, i, Math.Min(320, speech.Length - i)), CancellationToken.None);
                        if (!t.IsCompleted) CascadeHarness.Run(t.AsTask());
                    }
                    var done = listener.WaitFor<ResponseDone>(d => true, "the reply");
                    Assert.That(done.Status, Is.EqualTo(ResponseStatus.Completed));

                    Assert.That(listener.All<UserTranscript>().Single(u => u.IsFinal).Text, Is.EqualTo(question));
                    Assert.That(asr.Appends, Is.GreaterThan(0), "the player's audio went to the ASR URL");
                    Assert.That(asr.SynthesizedTexts, Is.Empty);
                    Assert.That(tts.Appends, Is.EqualTo(0));
                    Assert.That(tts.Errors, Is.Empty, "the TTS was asked for the profile's 24 kHz (the server logs any other rate)");
                    Assert.That(tts.SynthesizedTexts.ToArray(), Is.EqualTo(new[] { price }), "the reply was spoken by the TTS URL");
                    var request = llm.Requests.Single();
                    Assert.That((string)request["model"], Is.EqualTo("llama3.1:8b"));
                    Assert.That((string)request["messages"][0]["content"], Does.Contain("You are a blacksmith."));
                    var item = listener.All<AgentAudioDone>().Single().ItemId;
                    Assert.That(listener.AudioOf(item), Is.EqualTo(Pcm.Speech("npc-price", 24000)));
                }
            }
            finally
            {
                CascadeHarness.Run(llm.DisposeAsync().AsTask());
                CascadeHarness.Run(tts.DisposeAsync().AsTask());
                CascadeHarness.Run(asr.DisposeAsync().AsTask());
            }
        }

        [Test]
        public void A_wrong_url_is_refused_naming_the_field()
        {
            var profile = ScriptableObject.CreateInstance<RivaCascadeProfile>();
            profile.TtsUrl = "http://127.0.0.1:9001";
            var e = Assert.Throws<ArgumentException>(() => profile.CreateProvider(null, null).Dispose());
            Assert.That(e.Message, Does.StartWith("TTS URL 'http://127.0.0.1:9001' is not a ws or wss URL"));
            profile.TtsUrl = "ws://127.0.0.1:9001";
            profile.LlmUrl = "ws://127.0.0.1:8000/v1";
            Assert.That(Assert.Throws<ArgumentException>(() => profile.CreateProvider(null, null).Dispose()).Message, Does.StartWith("LLM URL"));
        }

        [Test]
        public void The_defaults_point_at_a_local_install()
        {
            var profile = ScriptableObject.CreateInstance<RivaCascadeProfile>();
            Assert.That(profile.AsrUrl, Is.EqualTo("ws://127.0.0.1:9000"));
            Assert.That(profile.TtsUrl, Is.EqualTo("ws://127.0.0.1:9001"));
            Assert.That(profile.LlmUrl, Is.EqualTo("http://127.0.0.1:8000/v1"));
            Assert.That(profile.RequiresCredential, Is.False);
        }
    }
}
