using System;

namespace Parley.Session.Audio
{
    /// <summary>Residual ratios of the hold window and their percentile (selected on demand, once per change).</summary>
    internal sealed class LearnedRatio
    {
        readonly double[] _hold, _scratch;
        int _at, _count;
        double _value = -1;

        /// <summary>The ratio with nothing held: an echo 20 dB louder than the played voice (the echo guard's cold bar).</summary>
        internal const double Unlearnt = 100;

        public LearnedRatio(int frames) { _hold = new double[frames]; _scratch = new double[frames]; }

        public void Add(double ratio)
        {
            _hold[_at] = ratio;
            _at = (_at + 1) % _hold.Length;
            if (_count < _hold.Length) _count++;
            _value = -1;
        }

        /// <summary>Forgets every ratio held.</summary>
        public void Clear()
        {
            _at = _count = 0;
            _value = -1;
        }

        public double Percentile(double percentile)
        {
            if (_count == 0) return Unlearnt;
            if (_value >= 0) return _value;
            var k = Math.Max(0, Math.Min(_count - 1, (int)Math.Ceiling(percentile / 100.0 * _count) - 1));
            _value = k == _count - 1 ? Loudest() : Select(k);
            return _value;
        }

        double Loudest()
        {
            var m = _hold[0];
            for (var i = 1; i < _count; i++) if (_hold[i] > m) m = _hold[i];
            return m;
        }

        /// <summary>
        /// The k-th smallest held ratio (quickselect on a copy). Not Array.Sort: under Mono it allocated on every call
        /// (48 kB per second of audio with the band predictor's four bands), and only one rank is wanted.
        /// </summary>
        double Select(int k)
        {
            var a = _scratch;
            Array.Copy(_hold, a, _count);
            int lo = 0, hi = _count - 1;
            while (lo < hi)
            {
                var pivot = a[(lo + hi) >> 1];
                int i = lo, j = hi;
                while (i <= j)
                {
                    while (a[i] < pivot) i++;
                    while (a[j] > pivot) j--;
                    if (i > j) break;
                    var t = a[i]; a[i] = a[j]; a[j] = t;
                    i++;
                    j--;
                }
                if (k <= j) hi = j;
                else if (k >= i) lo = i;
                else break;
            }
            return a[k];
        }
    }
}
