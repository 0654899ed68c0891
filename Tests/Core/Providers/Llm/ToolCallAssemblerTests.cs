using System.Collections.Generic;
using Newtonsoft.Json.Linq;
using NUnit.Framework;
using Parley.Providers.Llm;

namespace Parley.Tests.Providers.Llm
{
    public class ToolCallAssemblerTests
    {
        [Test]
        public void JoinsArgumentPiecesPerIndexInIndexOrder()
        {
            var a = new ToolCallAssembler();
            // Two parallel calls interleaved as vLLM streams them: id+name first, then argument pieces.
            a.Add(1, "call_b", "get_time", "");
            a.Add(0, "call_a", "get_price", "");
            a.Add(0, null, null, "{\"item\":");
            a.Add(1, null, null, "{\"zone\":\"UTC\"}");
            a.Add(0, null, null, "\"sword\",\"qty\":2}");
            var calls = new List<ChatToolCall>();
            a.Complete(calls);
            Assert.That(calls.Count, Is.EqualTo(2));
            Assert.That(calls[0].Id, Is.EqualTo("call_a"));
            Assert.That(calls[0].Name, Is.EqualTo("get_price"));
            var args = JObject.Parse(calls[0].ArgumentsJson);
            Assert.That((string)args["item"], Is.EqualTo("sword"));
            Assert.That((int)args["qty"], Is.EqualTo(2));
            Assert.That(calls[1].Name, Is.EqualTo("get_time"));
            Assert.That(a.Count, Is.EqualTo(0));
        }

        [Test]
        public void RepeatedNamesAreNotDoubledAndMissingIdsAndArgumentsGetDefaults()
        {
            var a = new ToolCallAssembler();
            a.Add(0, null, "open_door", null);
            a.Add(0, null, "open_door", null);   // some servers repeat the name in every delta
            var calls = new List<ChatToolCall>();
            a.Complete(calls);
            Assert.That(calls[0].Name, Is.EqualTo("open_door"));
            Assert.That(calls[0].Id, Is.EqualTo("call_0"));
            Assert.That(calls[0].ArgumentsJson, Is.EqualTo("{}"));
        }
    }
}
