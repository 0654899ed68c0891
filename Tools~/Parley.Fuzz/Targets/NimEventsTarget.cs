using System;
using System.Collections.Generic;
using System.Text;
using System.Threading;
using Parley.Providers;
using Parley.Providers.Riva;

namespace Parley.Fuzz
{
    /// <summary>
    /// NIM realtime messages as <see cref="NimRealtimeAsr"/> and <see cref="NimRealtimeTts"/> handle them, over a
    /// <see cref="PumpTransport"/>: in turn an ASR event, a TTS event, and (every 8th input) the handshake reply of a
    /// fresh connection. Allowed: listener calls, a typed <see cref="ProviderException"/> (OnFailed, a failed reply, a
    /// refused handshake). A finding: another exception type, or a receive loop that dies without saying so
    /// (the turn would then wait for its timeout).
    /// </summary>
    public sealed class NimEventsTarget : FuzzTarget
    {
        static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
        static readonly byte[] Created = Utf8("{\"type\":\"conversation.created\",\"event_id\":\"event_0\",\"conversation\":{\"id\":\"conv_1\"}}");
        static readonly byte[] AsrUpdated = Utf8("{\"type\":\"transcription_session.updated\",\"session\":{\"input_audio_format\":\"pcm16\"}}");
        static readonly byte[] TtsUpdated = Utf8("{\"type\":\"synthesize_session.updated\",\"session\":{\"output_audio_params\":{\"sample_rate_hz\":22050,\"audio_format\":\"pcm16\"}}}");

        readonly AsrListener _asrListener = new AsrListener();
        readonly TtsSink _sink = new TtsSink();
        NimRealtimeAsr _asr;
        PumpTransport _asrWire;
        ITtsStream _tts;
        PumpTransport _ttsWire;
        long _count;

        public override string Name => "nim-events";
        public override string Decoder => "NimRealtimeSocket + NimRealtimeAsr/NimRealtimeTts event handling and handshakes";
        public override string TypedErrors => "ProviderException";
        public override bool IsTypedError(Exception e) => e is ProviderException;

        static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

        public override IEnumerable<byte[]> Seeds(SeedFiles files)
        {
            yield return Created;
            yield return AsrUpdated;
            yield return TtsUpdated;
            yield return Utf8("{\"type\":\"conversation.item.input_audio_transcription.delta\",\"item_id\":\"item_1\",\"content_index\":0,\"delta\":\"what is\"}");
            yield return Utf8("{\"type\":\"conversation.item.input_audio_transcription.completed\",\"item_id\":\"item_1\",\"content_index\":0,\"transcript\":\"what is the time\",\"is_last_result\":true,\"words_info\":{\"words\":[{\"word\":\"what\",\"start_time\":120,\"end_time\":400,\"confidence\":0.9,\"speaker_tag\":0},{\"word\":\"time\",\"start_time\":900,\"end_time\":1250.5,\"confidence\":0.9,\"speaker_tag\":0}]}}");
            yield return Utf8("{\"type\":\"conversation.item.speech.data\",\"audio\":\"" + Convert.ToBase64String(new byte[] { 1, 2, 3, 4, 5 }) + "\"}");
            yield return Utf8("{\"type\":\"conversation.item.speech.completed\",\"is_last_result\":false,\"synthesis_metadata\":{\"text\":\"Hello.\"}}");
            yield return Utf8("{\"type\":\"conversation.item.speech.completed\",\"is_last_result\":true}");
            yield return Utf8("{\"type\":\"error\",\"error\":{\"message\":\"unknown event\",\"type\":\"server_error\",\"code\":\"bad\"}}");
            yield return Utf8("{\"type\":\"transcription_session.error\",\"error\":\"plain text\"}");
        }

        NimRealtimeOptions Options(PumpTransport wire) => new NimRealtimeOptions
        {
            BaseUri = new Uri("ws://127.0.0.1:9"),
            TransportFactory = () => wire,
            HandshakeTimeout = Wait,
        };

        public override Outcome Run(byte[] input)
        {
            var n = _count++;
            if (n % 8 == 7) return Handshake(input, (n / 8) % 2 == 0);
            return n % 2 == 0 ? AsrEvent(input) : TtsEvent(input);
        }

        Outcome Handshake(byte[] input, bool asr)
        {
            var wire = new PumpTransport();
            // The fuzzed message first; if the provider skips it, the expected replies follow.
            wire.Script(input);
            if (asr)
            {
                wire.Script(Created);
                wire.Script(AsrUpdated);
                var stage = new NimRealtimeAsr(Options(wire));
                try
                {
                    if (!stage.StartAsync(new AsrListener(), CancellationToken.None).Wait(Wait)) throw new FuzzFinding("The ASR handshake hung.");
                }
                catch (AggregateException e) { throw e.InnerException; }
                finally { stage.Dispose(); }
            }
            else
            {
                wire.Script(TtsUpdated);
                ITtsStream stream = null;
                try
                {
                    var open = new NimRealtimeTts(Options(wire)).OpenAsync(new TtsSink(), CancellationToken.None);
                    if (!open.Wait(Wait)) throw new FuzzFinding("The TTS handshake hung.");
                    stream = open.Result;
                }
                catch (AggregateException e) { throw e.InnerException; }
                finally { stream?.Dispose(); }
            }
            return Outcome.Decoded;
        }

        Outcome AsrEvent(byte[] input)
        {
            if (_asr == null || _asrListener.Failed != null || !_asr.IsOpen)
            {
                _asr?.Dispose();
                _asrListener.Failed = null;
                _asrWire = new PumpTransport();
                _asrWire.Script(Created);
                _asrWire.Script(AsrUpdated);
                _asr = new NimRealtimeAsr(Options(_asrWire));
                if (!_asr.StartAsync(_asrListener, CancellationToken.None).Wait(Wait)) throw new FuzzFinding("The ASR did not connect.");
            }
            if (!_asrWire.Deliver(input, Wait)) { _asr = null; throw new FuzzFinding("The ASR receive loop stopped asking for messages (it died without calling OnFailed)."); }
            // Back to waiting, or closed: with OnFailed, or silently once the last result is in (the turn is over then).
            if (!SpinUntil(() => _asrWire.IsParked || _asrListener.Failed != null || !_asr.IsOpen))
            {
                _asr = null;
                throw new FuzzFinding("The ASR receive loop died without calling OnFailed.");
            }
            return _asrListener.Failed != null ? Outcome.Rejected : Outcome.Decoded;
        }

        Outcome TtsEvent(byte[] input)
        {
            if (_tts == null || _sink.Closed)
            {
                _tts?.Dispose();
                _sink.Closed = false;
                _ttsWire = new PumpTransport();
                _ttsWire.Script(TtsUpdated);
                var open = new NimRealtimeTts(Options(_ttsWire)).OpenAsync(_sink, CancellationToken.None);
                if (!open.Wait(Wait)) throw new FuzzFinding("The TTS did not connect.");
                _tts = open.Result;
            }
            if (!_ttsWire.Deliver(input, Wait)) { _tts = null; throw new FuzzFinding("The TTS receive loop stopped asking for messages."); }
            // Back to waiting, or the reply failed (typed: the next phrase throws its ProviderException at once), or
            // the loop ended after the reply was complete (then a late failure has nothing left to fail).
            Exception failure = null;
            if (SpinUntil(() => _ttsWire.IsParked || (failure = Probe()) != null || Finished()))
            {
                if (_ttsWire.IsParked && failure == null) return Outcome.Decoded;
                _sink.Closed = true;
                if (failure != null && !(failure is ProviderException)) throw failure;
                return failure != null ? Outcome.Rejected : Outcome.Decoded;
            }
            _tts = null;
            throw new FuzzFinding("The TTS receive loop died without failing the reply.");
        }

        /// <summary>The reply is complete (the server's last result came): CompleteAsync returns at once.</summary>
        bool Finished()
        {
            var complete = _tts.CompleteAsync(CancellationToken.None);
            return complete.IsCompleted && !complete.IsFaulted;
        }

        Exception Probe()
        {
            var probe = _tts.SpeakAsync("probe", CancellationToken.None);
            return probe.IsFaulted ? probe.Exception.InnerException : null;
        }

        // The provider's loop runs inline in Deliver, so the state is usually final when it returns: look first, then wait.
        static bool SpinUntil(Func<bool> condition) => condition() || SpinWait.SpinUntil(condition, Wait);

        public override void Dispose()
        {
            _asr?.Dispose();
            _tts?.Dispose();
        }

        sealed class AsrListener : IAsrListener
        {
            public volatile ProviderException Failed;
            public void OnPartial(string delta) { }
            public void OnFinal(string transcript, long userStopTimestamp) { }
            public void OnFailed(ProviderException error) => Failed = error;
        }

        sealed class TtsSink : ITtsSink
        {
            public volatile bool Closed;
            public void OnAudio(ReadOnlySpan<short> pcm) { }
            public void OnPhraseDone() { }
        }
    }
}
