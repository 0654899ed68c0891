using NUnit.Framework;
using Parley.Providers.Riva;

namespace Parley.Tests.Core.Providers.Riva
{
    public class RivaEndpointsTests
    {
        // NVIDIA's hosted endpoints as its docs give them: build.nvidia.com's Riva gRPC command (grpc.nvcf.nvidia.com:443)
        // and the OpenAI-compatible LLM API (integrate.api.nvidia.com/v1).
        [TestCase("https://grpc.nvcf.nvidia.com:443", true)]
        [TestCase("https://integrate.api.nvidia.com/v1", true)]
        [TestCase("wss://GRPC.NVCF.NVIDIA.COM", true)]
        [TestCase("https://nvidia.com", true)]
        [TestCase("ws://127.0.0.1:9000", false)]
        [TestCase("http://localhost:8000/v1", false)]
        [TestCase("ws://gpu-box.lan:9001", false)]
        [TestCase("https://notnvidia.com/v1", false)]
        [TestCase("https://nvidia.com.attacker.example/v1", false)]
        [TestCase("", false)]
        [TestCase(null, false)]
        [TestCase("grpc.nvcf.nvidia.com", false)]
        public void Only_hosts_on_nvidia_com_are_NVIDIA_hosted(string url, bool hosted) =>
            Assert.That(RivaEndpoints.IsNvidiaHosted(url), Is.EqualTo(hosted));

        [Test]
        public void A_cascade_needs_a_credential_when_any_stage_is_hosted()
        {
            Assert.That(RivaEndpoints.AnyNvidiaHosted("ws://127.0.0.1:9000", "ws://127.0.0.1:9001", "http://127.0.0.1:8000/v1"), Is.False);
            Assert.That(RivaEndpoints.AnyNvidiaHosted("ws://127.0.0.1:9000", "ws://127.0.0.1:9001", "https://integrate.api.nvidia.com/v1"), Is.True);
            Assert.That(RivaEndpoints.AnyNvidiaHosted(null), Is.False);
        }
    }
}
