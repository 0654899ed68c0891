using System;
using System.Net.WebSockets;
using System.Text;
using System.Threading;
using Newtonsoft.Json.Linq;
using NUnit.Framework;

namespace Parley.Tests.HostOnly.Cli
{
    /// <summary>`parley emulator --port 0`: a standalone OpenAI Realtime server any client can connect to, stopped by SIGTERM.</summary>
    public class CliEmulatorCommandTests
    {
        [Test]
        public void Serves_a_session_on_an_ephemeral_port_and_stops_on_sigterm()
        {
            using (var emulator = new CliEmulatorProcess())
            {
                var uri = emulator.Uri;
                Assert.That(uri.Host, Is.EqualTo("127.0.0.1"));
                Assert.That(uri.Port, Is.GreaterThan(0));

                using (var ws = new ClientWebSocket())
                using (var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
                {
                    ws.Options.SetRequestHeader("Authorization", "Bearer any-key-for-the-emulator");
                    ws.ConnectAsync(new Uri(uri + "?model=gpt-realtime"), cts.Token).Wait(cts.Token);
                    Assert.That((string)Receive(ws, cts.Token)["type"], Is.EqualTo("session.created"));
                    var update = "{\"type\":\"session.update\",\"session\":{\"type\":\"realtime\",\"instructions\":\"You are a blacksmith.\","
                                 + "\"audio\":{\"output\":{\"voice\":\"marin\"}}}}";
                    ws.SendAsync(new ArraySegment<byte>(Encoding.UTF8.GetBytes(update)), WebSocketMessageType.Text, true, cts.Token).Wait(cts.Token);
                    var updated = Receive(ws, cts.Token);
                    while ((string)updated["type"] == "conversation.created") updated = Receive(ws, cts.Token);
                    Assert.That((string)updated["type"], Is.EqualTo("session.updated"), updated.ToString());
                    Assert.That((string)updated["session"]["instructions"], Is.EqualTo("You are a blacksmith."));
                    ws.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", cts.Token).Wait(cts.Token);
                }

                Assert.That(emulator.Terminate(out var error), Is.True, "it stops on SIGTERM with exit code 0: " + error);
            }
        }

        static JObject Receive(ClientWebSocket ws, CancellationToken ct)
        {
            var buffer = new byte[1 << 16];
            var text = new StringBuilder();
            WebSocketReceiveResult r;
            do
            {
                var t = ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                t.Wait(ct);
                r = t.Result;
                text.Append(Encoding.UTF8.GetString(buffer, 0, r.Count));
            } while (!r.EndOfMessage);
            return JObject.Parse(text.ToString());
        }
    }
}
