using System;
using NUnit.Framework;
using Parley.Transport;

namespace Parley.Tests.Transport
{
    public class EndpointSecurityTests
    {
        [TestCase("wss://api.openai.com/v1/realtime", false)]
        [TestCase("https://nim.example.com/v1", false)]
        [TestCase("ws://127.0.0.1:8080/", false)]
        [TestCase("ws://localhost:9000/", false)]
        [TestCase("http://[::1]:50051", false)]
        [TestCase("ws://127.3.4.5:80/", false)]
        public void Encrypted_or_loopback_needs_no_opt_in(string url, bool warn)
        {
            Assert.That(EndpointSecurity.Check(new Uri(url), false), Is.EqualTo(warn));
        }

        [TestCase("ws://192.168.1.20:8080/")]
        [TestCase("http://riva.lan:50051")]
        public void Plain_text_to_a_remote_host_is_refused_unless_opted_in(string url)
        {
            var e = Assert.Throws<TransportException>(() => EndpointSecurity.Check(new Uri(url), false));
            Assert.That(e.Kind, Is.EqualTo(TransportErrorKind.InsecureRefused));
            Assert.That(EndpointSecurity.Check(new Uri(url), true), Is.True, "opted in: allowed, caller warns");
        }

        [Test]
        public void Message_buffer_grows_to_its_limit_then_refuses()
        {
            var b = new MessageBuffer(4, 10);
            b.Write(new byte[] { 1, 2, 3, 4, 5, 6 });
            Assert.That(b.Count, Is.EqualTo(6));
            var e = Assert.Throws<TransportException>(() => b.Write(new byte[5]));
            Assert.That(e.Kind, Is.EqualTo(TransportErrorKind.MessageTooLarge));
            b.Reset();
            Assert.That(b.Count, Is.EqualTo(0));
        }
    }
}
