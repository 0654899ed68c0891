using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using NUnit.Framework;
using Parley.Audio;
using Parley.Audio.Kernels;
using Parley.Providers;
using Parley.Providers.OpenAI;
using Parley.Servers.OpenAI;
using Parley.Session;
using Parley.Session.Audio;
using Parley.Tests.Support;

namespace Parley.Tests.HostOnly.OpenAI
{
    /// <summary>
    /// G.711 (`audio/pcmu`, `audio/pcma`) against the emulator over loopback: the player's speech goes through the
    /// capture front end at the provider's 8 kHz rate and is G.711-coded on the wire, the emulator's server VAD
    /// runs on its decoding, and the reply arrives as G.711 and is measured against the emulator's 8 kHz speech.
    /// </summary>
    public partial class OpenAIRealtimeConformanceTests
    {
        const int EngineRate = 48000;
        const int BlockFrames = 960; // 20 ms at 48 kHz

        static Action<OpenAIRealtimeOptions> Encoding(OpenAIAudioEncoding e) => o => { o.InputEncoding = e; o.OutputEncoding = e; };

        static string FormatType(OpenAIAudioEncoding e) => e == OpenAIAudioEncoding.Pcmu ? "audio/pcmu" : "audio/pcma";

        static short[] G711RoundTrip(short[] pcm, OpenAIAudioEncoding e)
        {
            var result = new short[pcm.Length];
            for (var i = 0; i < pcm.Length; i++)
                result[i] = e == OpenAIAudioEncoding.Pcmu ? G711Kernel.MuLawDecode(G711Kernel.MuLawEncode(pcm[i])) : G711Kernel.ALawDecode(G711Kernel.ALawEncode(pcm[i]));
            return result;
        }

        static float[] Floats(short[] pcm) => pcm.Select(s => s / 32768f).ToArray();

        /// <summary>The 48 kHz microphone fixture from <paramref name="fromMs"/> to <paramref name="toMs"/>, through the session's capture front end.</summary>
        void SendMicrophone(ICaptureFrontEnd frontEnd, float[] mic48k, int fromMs, int toMs)
        {
            var pcm = new short[frontEnd.MaxOutputSamples(BlockFrames)];
            for (var s = fromMs * 48; s < Math.Min(mic48k.Length, toMs * 48); s += BlockFrames)
            {
                var n = Math.Min(BlockFrames, Math.Min(mic48k.Length, toMs * 48) - s);
                var made = frontEnd.Process(new ReadOnlySpan<float>(mic48k, s, n), pcm);
                _provider.SendAudioAsync(new ReadOnlyMemory<short>(pcm, 0, made), CancellationToken.None).AsTask().WaitAsync(T).GetAwaiter().GetResult();
            }
        }

        [TestCase(OpenAIAudioEncoding.Pcmu)]
        [TestCase(OpenAIAudioEncoding.Pcma)]
        public void G711_ServerVadTurn_SpeechIn_ReplyOut_MeasuredAgainstTheEmulatorsSpeech(OpenAIAudioEncoding encoding)
        {
            var segments = OpenAITestAudio.Segments();
            Start(new OpenAIRealtimeEmulatorOptions { UserTranscripts = segments.Select(s => s.Text).ToArray() });
            NewProvider(Key, Encoding(encoding));
            Assert.That(_provider.Capabilities.InputSampleRate, Is.EqualTo(8000));
            Assert.That(_provider.Capabilities.OutputSampleRate, Is.EqualTo(8000));
            Connect(new SessionConfig { InputTranscription = true });
            var update = _emulator.ClientEvents.First(e => e.Contains("\"session.update\""));
            Assert.That(update, Does.Contain("\"input\":{\"format\":{\"type\":\"" + FormatType(encoding) + "\"}"));
            Assert.That(update, Does.Contain("\"output\":{\"format\":{\"type\":\"" + FormatType(encoding) + "\"}"));

            // As the session does it: the front end resamples the 48 kHz microphone to the rate the provider reports.
            var frontEnd = new ResamplingCaptureFrontEnd(AudioFormat.Mono(EngineRate), BlockFrames);
            frontEnd.Configure(_provider.Capabilities.InputSampleRate);
            var mic = TestWav.Read(PackagePaths.Fixture("audio", "conversation", "user-turns-48k.wav")).Samples;
            SendMicrophone(frontEnd, mic, 0, (segments[0].EndMs + segments[1].StartMs) / 2);
            var done = _listener.WaitForEvent<ResponseDone>();
            Assert.That(done.Status, Is.EqualTo(ResponseStatus.Completed));

            // The emulator's VAD heard the G.711 speech where the fixture has it (ground truth, as for PCM).
            var started = _listener.All<UserSpeechStarted>().Single();
            var stopped = _listener.All<UserSpeechStopped>().Single();
            Assert.That(started.AudioStartMs, Is.EqualTo(segments[0].StartMs - 300).Within(120));
            Assert.That(stopped.AudioEndMs, Is.EqualTo(segments[0].EndMs).Within(150));
            Assert.That(_listener.All<UserTranscript>().Single(t => t.IsFinal).Text, Is.EqualTo(segments[0].Text));

            // The reply: 8 kHz, the clip's duration, and exactly the emulator's 8 kHz speech after one G.711 pass.
            var reply = _listener.Audio.Values.Single();
            var source8k = _emulator.Clip8k("npc-greeting");
            var source24k = _emulator.Clips["npc-greeting"];
            Assert.That(reply.Length, Is.EqualTo(source24k.Length / 3));
            Assert.That(Signals.FirstDifference(G711RoundTrip(source8k, encoding), reply), Is.EqualTo(-1));
            // G.711 on speech: about 38 dB SNR at a good level; a wrong law or byte order gives below 0 dB.
            var snr = Signals.SnrDb(Floats(source8k), Floats(reply));
            TestContext.Progress.WriteLine(encoding + " reply SNR vs the 8 kHz source: " + snr.ToString("F1") + " dB");
            Assert.That(snr, Is.GreaterThan(30));
            // Level against the 24 kHz original (independent of the resampler): speech energy is below 4 kHz.
            var levelDiff = Signals.RmsDbfs(Floats(reply)) - Signals.RmsDbfs(Floats(source24k));
            TestContext.Progress.WriteLine(encoding + " reply level minus 24 kHz source level: " + levelDiff.ToString("F2") + " dB");
            Assert.That(Math.Abs(levelDiff), Is.LessThan(1.0));
            Assert.That(_provider.ReceivedMs(_listener.Audio.Keys.Single()), Is.EqualTo(reply.Length / 8));
        }

        [Test]
        public void G711_BargeIn_ThroughTheSession_TruncatesAtPlayedSamplesOverEight()
        {
            // Held after 1 s of audio (a gate, not pacing): the reply is still in flight when the interrupt lands.
            Start(new OpenAIRealtimeEmulatorOptions { PlaybackSpeed = 1, HoldReplyAfterChunks = 10 });
            var speaker = new PlayoutSpeaker(8000, EngineRate, BlockFrames);
            var events = new List<SessionEvent>();
            var options = new VoiceSessionOptions { Loop = SessionLoop.Inline };
            using (var session = new VoiceSession(() => NewProvider(Key, Encoding(OpenAIAudioEncoding.Pcmu)), options, new InlineDispatcher(), speaker,
                       new ResamplingCaptureFrontEnd(AudioFormat.Mono(EngineRate), BlockFrames)))
            {
                session.EventRaised += e => { lock (events) events.Add(e); };
                session.StartAsync(CancellationToken.None).WaitAsync(T).GetAwaiter().GetResult();
                Assert.That(session.Capabilities.OutputSampleRate, Is.EqualTo(8000));
                session.SendTextAsync("Tell me about the forge", CancellationToken.None).WaitAsync(T).GetAwaiter().GetResult();

                // The test is the audio thread: it renders 20 ms blocks at most two thirds of real time (so the
                // buffer never runs dry and played stays below received), until half a second has been played.
                var block = new float[BlockFrames];
                var deadline = DateTime.UtcNow + T;
                while (speaker.Buffer.CurrentItem == 0 || speaker.Buffer.Played(speaker.Buffer.CurrentItem) < 4000)
                {
                    if (DateTime.UtcNow > deadline) Assert.Fail("Half a second of the reply was never played.");
                    speaker.Render(block, 1);
                    session.Tick();
                    Thread.Sleep(30);
                }
                var item = speaker.CurrentItemId;
                var playedSamples = speaker.Buffer.Played(speaker.Buffer.CurrentItem);
                var receivedMs = _provider.ReceivedMs(item);
                session.Interrupt();

                WaitClient(e => e.Contains("conversation.item.truncate"));
                var truncate = _emulator.ClientEvents.Single(e => e.Contains("conversation.item.truncate"));
                var endMs = int.Parse(Regex.Match(truncate, "\"audio_end_ms\":(\\d+)").Groups[1].Value);
                Assert.That(truncate, Does.Contain("\"item_id\":\"" + item + "\""));
                Assert.That(endMs, Is.EqualTo((int)(playedSamples / 8)), "8 samples a millisecond at 8 kHz");
                Assert.That(endMs, Is.LessThan(receivedMs), "played, not merely received");
                WaitServer("conversation.item.truncated");
                Interrupted interrupted;
                lock (events) interrupted = events.OfType<Interrupted>().Single();
                Assert.That(interrupted.PlayedMs, Is.EqualTo(endMs));
                lock (events) Assert.That(events.OfType<SessionErrorEvent>(), Is.Empty);
            }
        }
    }
}
