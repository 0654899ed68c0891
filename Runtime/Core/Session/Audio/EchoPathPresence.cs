using Parley.Audio;

namespace Parley.Session.Audio
{
    /// <summary>
    /// While the echo guard is cold: counts consecutive 10 ms frames of played voice whose microphone (before cancelling:
    /// a cold canceller explains nothing) stays far under the played signal; once they outlast the longest echo delay,
    /// the microphone has no echo path and the guard may start from what it learned (a second agent on a shared
    /// microphone gets it while another agent speaks: it must hear its player, not hold them back for 0.8 s and learn
    /// their voice as residual). Any louder frame (echo, or the player), or one whose played voice is too quiet to show
    /// an echo over the floor, starts the count again. Allocates nothing per frame.
    /// </summary>
    internal sealed class EchoPathPresence
    {
        // This many frames: longer than the canceller's 440 ms delay search, so an echo path would have shown.
        const int NoEchoFrames = (EchoCanceller.MaxDelayMs + 60) / 10;
        // The microphone no more than its noise floor (6 dB: a 10 ms frame of steady noise varies by less) plus −45 dB of
        // the loudest played frame around it (under the quietest echo of issue 13, −20 dB, and the −30 dB rooms measured).
        const double NoEchoRatio = 3.16e-5;
        const double NoEchoFloorFactor = 4;
        // A frame shows nothing unless an echo 20 dB under the played voice (issue 13's quietest) would stand out of the
        // floor: an agent played quietly (its echo under the noise) is no proof, and a louder voice later would bring an
        // echo the measurement said was not there.
        const double SensitiveRatio = 1e-2;
        readonly double[] _micFloor = new double[128];   // the microphone's frame energies of the last 1.28 s (floor: their least)
        int _micFloorAt, _micFloorCount;
        int _noEchoRun;

        /// <summary>Measured: the microphone carries no echo of the played voice.</summary>
        public bool NoEchoPath { get; private set; }

        public void Reset()
        {
            _micFloorAt = _micFloorCount = 0;
            _noEchoRun = 0;
            NoEchoPath = false;
        }

        /// <param name="settled">The frame is the microphone (not the canceller's leading zeros): it counts towards the floor.</param>
        /// <param name="mic">The frame's microphone energy, before cancelling.</param>
        /// <param name="far">The loudest played frame energy of the echo window (<paramref name="farActive"/>: voice is being played).</param>
        public void Frame(bool settled, double mic, bool farActive, double far)
        {
            if (NoEchoPath) return;
            if (settled)
            {
                _micFloor[_micFloorAt] = mic;
                _micFloorAt = (_micFloorAt + 1) % _micFloor.Length;
                if (_micFloorCount < _micFloor.Length) _micFloorCount++;
            }
            if (!farActive) return;
            if (_micFloorCount == 0) return;
            var floor = double.MaxValue;
            for (var i = 0; i < _micFloorCount; i++) if (_micFloor[i] < floor) floor = _micFloor[i];
            var sensitive = far * SensitiveRatio > floor * NoEchoFloorFactor;
            _noEchoRun = sensitive && mic <= floor * NoEchoFloorFactor + far * NoEchoRatio ? _noEchoRun + 1 : 0;
            if (_noEchoRun >= NoEchoFrames) NoEchoPath = true;
        }
    }
}
