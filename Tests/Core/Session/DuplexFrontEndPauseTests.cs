using System;
using NUnit.Framework;
using Parley.Session.Audio;
using Parley.Tests.Support;

namespace Parley.Tests.Session
{
    /// <summary>
    /// What counts as a pause in the played voice (<see cref="DuplexFrontEndOptions.EchoGuardPauseDb"/>): the voice's
    /// return from one raises the echo guard's bar for <see cref="DuplexFrontEndOptions.EchoGuardResumeMs"/>, because the
    /// canceller leaks on a sound that follows a pause. The scene that pins the depth is host-only
    /// (EchoGuardPinnedRuleTests): it needs the canceller as it was when the scene was found.
    /// </summary>
    public class DuplexFrontEndPauseTests
    {
        [TestCase(19.9)]
        [TestCase(60.0)]
        [TestCase(double.NaN)]
        public void A_pause_depth_out_of_range_is_refused(double db)
        {
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => DuplexScenes.EnergyFrontEnd(24000, new DuplexFrontEndOptions { EchoGuardPauseDb = db }).Dispose());
            // The error names the option, not the options object.
            Assert.That(e.ParamName, Is.EqualTo(nameof(DuplexFrontEndOptions.EchoGuardPauseDb)));
        }
    }
}
