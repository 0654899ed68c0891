using System;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;
using NUnit.Framework;
using Parley.Session;
using Parley.Session.Tools;

namespace Parley.Tests.Session
{
    public class ToolRegistryTests
    {
        public enum Metal { Iron, Steel, Mithril }

        sealed class Forge
        {
            public int Sharpened;

            [Tool("Sharpen the player's weapon.")]
            public string SharpenWeapon([ToolParameter("Weapon to sharpen")] string weapon, [ToolParameter("Passes on the stone")] int passes = 3)
            {
                Sharpened += passes;
                return "{\"weapon\":\"" + weapon + "\",\"passes\":" + passes + "}";
            }

            [Tool("Price of a blade.", Name = "quote")]
            public async Task<double> Price(Metal metal, double lengthCm, CancellationToken ct)
            {
                await Task.Yield();
                return (metal == Metal.Mithril ? 10 : 1) * lengthCm;
            }

            [Tool("Open the shop.")]
            public static void OpenShop() { }
        }

        [Test]
        public void AttributeToolsGetSchemaFromTheirParameters()
        {
            var r = new ToolRegistry();
            Assert.That(r.RegisterMethods(new Forge()), Is.EqualTo(3));
            var sharpen = JObject.Parse(r.Get("sharpen_weapon").Declaration.ParametersJsonSchema);
            Assert.That((string)sharpen["type"], Is.EqualTo("object"));
            Assert.That((string)sharpen["properties"]["weapon"]["type"], Is.EqualTo("string"));
            Assert.That((string)sharpen["properties"]["weapon"]["description"], Is.EqualTo("Weapon to sharpen"));
            Assert.That((string)sharpen["properties"]["passes"]["type"], Is.EqualTo("integer"));
            Assert.That(sharpen["required"].ToObject<string[]>(), Is.EqualTo(new[] { "weapon" }));
            var quote = JObject.Parse(r.Get("quote").Declaration.ParametersJsonSchema);
            Assert.That(quote["properties"]["metal"]["enum"].ToObject<string[]>(), Is.EqualTo(new[] { "Iron", "Steel", "Mithril" }));
            Assert.That((string)quote["properties"]["lengthCm"]["type"], Is.EqualTo("number"));
            Assert.That(quote["properties"]["ct"], Is.Null, "the cancellation token is not a model parameter");
            Assert.That(r.Get("open_shop"), Is.Not.Null);
            Assert.That(r.Declarations().Count, Is.EqualTo(3));
        }

        [Test]
        public void SyncAsyncAndVoidHandlersProduceJsonResults()
        {
            var forge = new Forge();
            var r = new ToolRegistry();
            r.RegisterMethods(forge);
            var a = Run(r, "sharpen_weapon", "{\"weapon\":\"sword\"}");
            Assert.That(a.Outcome, Is.EqualTo(ToolOutcome.Ok));
            Assert.That(JObject.Parse(a.ResultJson)["passes"].Value<int>(), Is.EqualTo(3));
            Assert.That(forge.Sharpened, Is.EqualTo(3));
            var b = Run(r, "quote", "{\"metal\":\"mithril\",\"lengthCm\":80.5}");
            Assert.That(b.Outcome, Is.EqualTo(ToolOutcome.Ok));
            Assert.That(JObject.Parse(b.ResultJson)["result"].Value<double>(), Is.EqualTo(805.0).Within(1e-9));
            Assert.That(Run(r, "open_shop", "{}").ResultJson, Is.EqualTo("{\"ok\":true}"));
        }

        [Test]
        public void BadCallsBecomeErrorResultsNotExceptions()
        {
            var r = new ToolRegistry();
            r.RegisterMethods(new Forge());
            var missing = Run(r, "sharpen_weapon", "{}");
            Assert.That(missing.Outcome, Is.EqualTo(ToolOutcome.Error));
            Assert.That((string)JObject.Parse(missing.ResultJson)["error"], Does.Contain("weapon"));
            var badEnum = Run(r, "quote", "{\"metal\":\"gold\",\"lengthCm\":1}");
            Assert.That((string)JObject.Parse(badEnum.ResultJson)["error"], Does.Contain("Iron"));
            Assert.That(Run(r, "nope", "{}").Outcome, Is.EqualTo(ToolOutcome.Unknown));
            r.Register("boom", "throws", "{\"type\":\"object\"}", (Func<string, string>)(_ => throw new InvalidOperationException("anvil cracked")));
            var boom = Run(r, "boom", "{}");
            Assert.That(boom.Outcome, Is.EqualTo(ToolOutcome.Error));
            Assert.That(boom.ResultJson, Does.Contain("anvil cracked"));
        }

        [Test]
        public void SlowHandlersTimeOutAndAreCancelled()
        {
            var r = new ToolRegistry();
            var cancelled = new ManualResetEventSlim();
            r.Register("slow", "never ends", "{\"type\":\"object\"}", async (args, ct) =>
            {
                try { await Task.Delay(TimeSpan.FromMinutes(1), ct); }
                catch (OperationCanceledException) { cancelled.Set(); throw; }
                return "late";
            }).Timeout = TimeSpan.FromMilliseconds(50);
            var res = Run(r, "slow", "{}");
            Assert.That(res.Outcome, Is.EqualTo(ToolOutcome.Timeout));
            Assert.That(cancelled.Wait(TimeSpan.FromSeconds(10)), Is.True, "the handler's token was cancelled");
        }

        [Test]
        public void ApprovalHookCanDenyACall()
        {
            var r = new ToolRegistry();
            var ran = false;
            r.Register("give_gold", "gives gold", "{\"type\":\"object\"}", _ => { ran = true; return "{}"; }).RequiresApproval = true;
            ToolCall asked = null;
            r.Approval = (call, ct) => { asked = call; return Task.FromResult(false); };
            var res = Run(r, "give_gold", "{\"amount\":5}");
            Assert.That(res.Outcome, Is.EqualTo(ToolOutcome.Denied));
            Assert.That(ran, Is.False);
            Assert.That(asked.ArgumentsJson, Is.EqualTo("{\"amount\":5}"));
            r.Approval = (call, ct) => Task.FromResult(true);
            Assert.That(Run(r, "give_gold", "{}").Outcome, Is.EqualTo(ToolOutcome.Ok));
            Assert.That(ran, Is.True);
        }

        [Test]
        public void InvalidRegistrationsAreRefused()
        {
            var r = new ToolRegistry();
            Assert.Throws<ArgumentException>(() => r.Register("has space", "x", "{\"type\":\"object\"}", _ => ""));
            Assert.Throws<ArgumentException>(() => r.Register("ok", "x", "{\"type\":\"string\"}", _ => ""));
            Assert.Throws<ArgumentException>(() => r.Register("ok", "x", "{not json", _ => ""));
            r.Register("ok", "x", "{\"type\":\"object\"}", _ => "");
            Assert.Throws<ArgumentException>(() => r.Register("ok", "x", "{\"type\":\"object\"}", _ => ""));
        }

        [Test]
        public void MainThreadToolsStartOnTheDispatcherThread()
        {
            var r = new ToolRegistry();
            var d = new QueuedDispatcher();
            int handlerThread = -1;
            r.Register("where", "thread", "{\"type\":\"object\"}", _ => { handlerThread = Thread.CurrentThread.ManagedThreadId; return "{}"; });
            var task = Task.Run(() => r.InvokeAsync(new ToolCall { CallId = "c", Name = "where", ArgumentsJson = "{}" }, d, CancellationToken.None));
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (!task.IsCompleted && DateTime.UtcNow < deadline) d.WaitAndRun(TimeSpan.FromMilliseconds(50), CancellationToken.None);
            Assert.That(task.Wait(TimeSpan.FromSeconds(10)), Is.True);
            Assert.That(handlerThread, Is.EqualTo(Thread.CurrentThread.ManagedThreadId));
        }

        static ToolResult Run(ToolRegistry r, string name, string args)
        {
            var t = r.InvokeAsync(new ToolCall { CallId = "c1", Name = name, ArgumentsJson = args }, new InlineDispatcher(), CancellationToken.None);
            Assert.That(t.Wait(TimeSpan.FromSeconds(10)), Is.True, "tool call finished");
            return t.Result;
        }
    }
}
