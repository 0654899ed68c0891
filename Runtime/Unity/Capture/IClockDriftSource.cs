namespace Parley.Unity.Capture
{
    /// <summary>
    /// A capture source that knows its clock drift against the output device (<c>AudioSettings.dspTime</c>), which the
    /// agent's <see cref="EchoReferenceFeed"/> uses to put the played reference on the microphone's clock.
    /// </summary>
    public interface IClockDriftSource
    {
        /// <summary>Microphone clock against the output's, in ppm (positive: the microphone runs fast); NaN until known.</summary>
        double ClockDriftPpm { get; }
        bool ClockDriftKnown { get; }
    }
}
