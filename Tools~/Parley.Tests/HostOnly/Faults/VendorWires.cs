using System.Net.WebSockets;
using System.Threading.Tasks;

namespace Parley.Tests.HostOnly.Faults
{
    /// <summary>OpenAI Realtime GA: session.update → session.updated; response.create → response.created, output_audio.delta…, response.done.</summary>
    public sealed class OpenAIWire : VendorWire
    {
        public override async Task HandshakeAsync(WebSocket ws)
        {
            await ReceiveUntilAsync(ws, "\"session.update\"");
            await SendAsync(ws, "{\"type\":\"session.updated\",\"event_id\":\"e1\",\"session\":{\"type\":\"realtime\"}}");
        }

        public override Task WaitReplyRequestAsync(WebSocket ws) => ReceiveUntilAsync(ws, "\"response.create\"");

        public override Task ReplyStartAsync(WebSocket ws) =>
            SendAsync(ws, "{\"type\":\"response.created\",\"event_id\":\"e2\",\"response\":{\"id\":\"resp_1\",\"status\":\"in_progress\"}}");

        public override string Chunk(int pcmBytes) =>
            "{\"type\":\"response.output_audio.delta\",\"event_id\":\"e\",\"response_id\":\"resp_1\",\"item_id\":\"item_1\",\"output_index\":0,\"content_index\":0,\"delta\":\"" + Pcm(pcmBytes) + "\"}";

        public override async Task ReplyEndAsync(WebSocket ws)
        {
            await SendAsync(ws, "{\"type\":\"response.output_audio.done\",\"event_id\":\"e3\",\"response_id\":\"resp_1\",\"item_id\":\"item_1\",\"output_index\":0,\"content_index\":0}");
            await SendAsync(ws, "{\"type\":\"response.done\",\"event_id\":\"e4\",\"response\":{\"id\":\"resp_1\",\"status\":\"completed\"}}");
        }

        public override string UnknownEvent => "{\"type\":\"response.future_thing\",\"event_id\":\"e5\"}";
        public override int SamplesPer100Ms => 2400;
    }

    /// <summary>Gemini Live: setup → setupComplete; realtimeInput text → serverContent modelTurn inlineData…, generationComplete, turnComplete.</summary>
    public sealed class GeminiWire : VendorWire
    {
        public override async Task HandshakeAsync(WebSocket ws)
        {
            await ReceiveUntilAsync(ws, "\"setup\"");
            await SendAsync(ws, "{\"setupComplete\":{}}");
        }

        public override Task WaitReplyRequestAsync(WebSocket ws) => ReceiveUntilAsync(ws, "\"realtimeInput\"");

        public override string Chunk(int pcmBytes) =>
            "{\"serverContent\":{\"modelTurn\":{\"parts\":[{\"inlineData\":{\"mimeType\":\"audio/pcm;rate=24000\",\"data\":\"" + Pcm(pcmBytes) + "\"}}]}}}";

        public override async Task ReplyEndAsync(WebSocket ws)
        {
            await SendAsync(ws, "{\"serverContent\":{\"generationComplete\":true}}");
            await SendAsync(ws, "{\"serverContent\":{\"turnComplete\":true}}");
        }

        public override string UnknownEvent => "{\"futureThing\":{\"x\":1}}";
        public override int SamplesPer100Ms => 2400;
    }

    /// <summary>NIM realtime synthesis: synthesize_session.update → updated; input_text.append/commit/done → speech.data…, speech.completed.</summary>
    public sealed class NimTtsWire : VendorWire
    {
        public override async Task HandshakeAsync(WebSocket ws)
        {
            await ReceiveUntilAsync(ws, "\"synthesize_session.update\"");
            await SendAsync(ws, "{\"type\":\"synthesize_session.updated\",\"session\":{\"output_audio_params\":{\"sample_rate_hz\":22050,\"audio_format\":\"pcm16\"}}}");
        }

        public override Task WaitReplyRequestAsync(WebSocket ws) => ReceiveUntilAsync(ws, "\"input_text.done\"");

        public override string Chunk(int pcmBytes) => "{\"type\":\"conversation.item.speech.data\",\"audio\":\"" + Pcm(pcmBytes) + "\"}";

        public override async Task ReplyEndAsync(WebSocket ws)
        {
            await SendAsync(ws, "{\"type\":\"conversation.item.speech.completed\",\"is_last_result\":false}");
            await SendAsync(ws, "{\"type\":\"conversation.item.speech.completed\",\"is_last_result\":true}");
        }

        public override string UnknownEvent => "{\"type\":\"conversation.item.speech.future_thing\",\"x\":1}";
        public override int SamplesPer100Ms => 2205;
    }
}
