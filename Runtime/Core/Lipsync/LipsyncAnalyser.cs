using System;
using System.Runtime.InteropServices;
using System.Threading;
using Parley.Audio;
using Parley.Lipsync.Kernels;

namespace Parley.Lipsync
{
    /// <summary>
    /// Real-time visemes from the audio the player hears: 15 Oculus viseme weights and a jaw opening per 10 ms hop.
    /// <para>Feeding (audio thread): <see cref="Write"/> the rendered mono samples with the time the first of
    /// them reaches the listener (DSP time of the render plus the output latency). Every hop's weights are stamped
    /// with the play time of the frame they describe. Reading (any one other thread, e.g. the main thread):
    /// <see cref="Read"/> at the current audible time returns the newest frame at or before it, so the lips meet
    /// the sound however far ahead the audio was rendered. <see cref="Flush"/> (any thread, on interruption)
    /// makes <see cref="Read"/> return rest at once and drops what the analyser holds; <see cref="Cut"/> (writer's thread)
    /// does so from the time the cut is heard, for audio written ahead of its play time.</para>
    /// <para><see cref="Write"/> and <see cref="Read"/> never allocate, lock or throw after construction
    /// (a wrong weights length is a typed error from <see cref="Read"/> before anything is touched).</para>
    /// </summary>
    public sealed unsafe class LipsyncAnalyser : IDisposable
    {
        /// <summary>Values per frame: the 15 viseme weights then the jaw opening.</summary>
        public const int FrameValues = Visemes.Count + 1;
        public const double HopMs = 10;
        public const double WindowMs = 25;
        /// <summary>Time constant of the streaming cepstral mean (speech frames only).</summary>
        public const double NormalisationSeconds = 1.5;
        /// <summary>Frames quieter than this (dBFS RMS) neither update the normaliser nor open the jaw.</summary>
        public const float GateDb = -55f;
        /// <summary>
        /// Pause gate (calibrated on augmented training speech, BENCHMARKS.md): frames this far (dB) below the tracked
        /// speech level for <see cref="PauseFrames"/> hops in a row are rest, whatever the classifier says.
        /// </summary>
        public const float PauseDb = 40f;
        /// <summary>A paused mouth reopens only this much (dB) above the pause threshold, so noise near it does not flap.</summary>
        public const float PauseHysteresisDb = 3f;
        /// <summary>120 ms: longer than a stop's closure inside a word, which is labelled with the stop, not as a pause.</summary>
        public const int PauseFrames = 12;
        /// <summary>How fast the tracked speech level (a peak follower) falls between loud frames.</summary>
        public const float SpeechDecayDbPerSecond = 3f;
        /// <summary>Frames kept for <see cref="Read"/> (640 ms at 10 ms hops): more than any output latency.</summary>
        public const int PublishedFrames = 64;
        /// <summary>Default smoothing: fast enough to keep the argmax on time (BENCHMARKS.md), slow enough not to flicker.</summary>
        public const double DefaultAttackMs = 10;
        public const double DefaultReleaseMs = 20;
        /// <summary>A newest frame older than this (audio stopped arriving) reads as rest.</summary>
        public const double StaleMs = 100;

        // How far each viseme opens the jaw (0 closed, 1 wide): a design table after the Oculus viseme reference images.
        static readonly float[] Openness = { 0f, 0f, 0.2f, 0.25f, 0.3f, 0.35f, 0.3f, 0.15f, 0.25f, 0.35f, 1f, 0.7f, 0.45f, 0.8f, 0.4f };

        readonly LipsyncModel _model;
        readonly IntPtr _block;
        readonly LipsyncMemory _m;
        readonly double[] _frameTime = new double[PublishedFrames];
        readonly int[] _frameEpoch = new int[PublishedFrames];
        readonly float[] _frameValues = new float[PublishedFrames * FrameValues];
        long _published;
        int _flushEpoch;
        // Per epoch parity: until when the previous epoch's frames stay readable (a Cut's time; -inf after a Flush).
        readonly long[] _cutBits = { NegativeInfinityBits, NegativeInfinityBits };
        static readonly long NegativeInfinityBits = BitConverter.DoubleToInt64Bits(double.NegativeInfinity);
        int _resetEpoch;
        long _anchorSample;
        double _anchorTime;
        bool _disposed;

        /// <param name="sampleRate">Rate of the audio written (mono).</param>
        /// <param name="model">Classifier; null for <see cref="LipsyncModel.Default"/>.</param>
        /// <param name="attackMs">Time constant of a weight rising.</param>
        /// <param name="releaseMs">Time constant of a weight falling.</param>
        public LipsyncAnalyser(int sampleRate, LipsyncModel model = null, double attackMs = DefaultAttackMs, double releaseMs = DefaultReleaseMs)
            : this(sampleRate, model, attackMs, releaseMs, NormalisationSeconds)
        {
        }

        internal LipsyncAnalyser(int sampleRate, LipsyncModel model, double attackMs, double releaseMs, double normalisationSeconds)
        {
            if (sampleRate < AudioFormat.MinSampleRate || sampleRate > AudioFormat.MaxSampleRate)
                throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate,
                    "Sample rate must be between " + AudioFormat.MinSampleRate + " and " + AudioFormat.MaxSampleRate + " Hz.");
            if (!(attackMs >= 0 && attackMs <= 1000)) throw new ArgumentOutOfRangeException(nameof(attackMs), attackMs, "Attack must be 0 to 1000 ms.");
            if (!(releaseMs >= 0 && releaseMs <= 1000)) throw new ArgumentOutOfRangeException(nameof(releaseMs), releaseMs, "Release must be 0 to 1000 ms.");
            _model = model ?? LipsyncModel.Default;
            SampleRate = sampleRate;
            AttackMs = attackMs;
            ReleaseMs = releaseMs;
            var hop = (int)Math.Round(sampleRate * HopMs / 1000);
            var window = (int)Math.Round(sampleRate * WindowMs / 1000);
            var fft = 1;
            while (fft < window) fft <<= 1;
            var bins = Math.Min(fft / 2 + 1, (int)Math.Ceiling(LipsyncModel.HighHz * fft / sampleRate) + 2);
            const int bands = LipsyncModel.Bands, ceps = LipsyncModel.Ceps, features = LipsyncModel.Features;
            var classes = Visemes.Count;
            var inputs = _model.Inputs;
            var hidden = _model.Hidden;
            var history = _model.History;

            // One unmanaged block for the state and every buffer (carved in 16-byte steps).
            long size = 0;
            long Take(long bytes) { var at = size; size += (bytes + 15) & ~15L; return at; }
            var oState = Take(sizeof(LipsyncState));
            var oInput = Take(4L * window); var oTaper = Take(4L * window);
            var oRe = Take(4L * fft); var oIm = Take(4L * fft); var oCos = Take(2L * fft); var oSin = Take(2L * fft);
            var oMel = Take(4L * bands * bins); var oDct = Take(4L * ceps * bands); var oBand = Take(4L * bands);
            var oMean = Take(4L * ceps); var oMeanInit = Take(4L * ceps); var oHistory = Take(4L * history * features);
            var oContext = Take(4L * _model.Context.Length);
            var oInputVector = Take(4L * inputs); var oHiddenVector = Take(4L * hidden); var oScores = Take(4L * classes);
            var oShift = Take(4L * inputs); var oScale = Take(4L * inputs);
            var oW1 = Take(4L * hidden * inputs); var oB1 = Take(4L * hidden); var oW2 = Take(4L * classes * hidden); var oB2 = Take(4L * classes);
            var oOpen = Take(4L * classes); var oWeights = Take(4L * classes);
            _block = Marshal.AllocHGlobal(new IntPtr(size));
            var b = (byte*)_block;
            new Span<byte>(b, (int)size).Clear();
            var m = new LipsyncMemory
            {
                State = (LipsyncState*)(b + oState), Input = (float*)(b + oInput), Taper = (float*)(b + oTaper),
                Re = (float*)(b + oRe), Im = (float*)(b + oIm), Cos = (float*)(b + oCos), Sin = (float*)(b + oSin),
                Mel = (float*)(b + oMel), Dct = (float*)(b + oDct), Band = (float*)(b + oBand),
                Mean = (float*)(b + oMean), MeanInit = (float*)(b + oMeanInit), History = (float*)(b + oHistory),
                Context = (int*)(b + oContext), InputVector = (float*)(b + oInputVector), HiddenVector = (float*)(b + oHiddenVector),
                Scores = (float*)(b + oScores), Shift = (float*)(b + oShift), Scale = (float*)(b + oScale),
                W1 = (float*)(b + oW1), B1 = (float*)(b + oB1), W2 = (float*)(b + oW2), B2 = (float*)(b + oB2),
                Openness = (float*)(b + oOpen), Weights = (float*)(b + oWeights),
            };
            var s = m.State;
            s->SampleRate = sampleRate; s->Hop = hop; s->Window = window; s->FftSize = fft; s->Bins = bins;
            s->Bands = bands; s->Ceps = ceps; s->Features = features; s->Inputs = inputs; s->Hidden = hidden;
            s->Classes = classes; s->ContextCount = _model.Context.Length; s->Lookahead = _model.Lookahead; s->HistoryLength = history;
            s->AttackCoef = Coefficient(attackMs, hop, sampleRate);
            s->ReleaseCoef = Coefficient(releaseMs, hop, sampleRate);
            s->NormCoef = normalisationSeconds <= 0 ? 0f : Coefficient(normalisationSeconds * 1000, hop, sampleRate);
            s->GateDb = GateDb;
            s->PauseDb = PauseDb;
            s->PauseHysteresisDb = PauseHysteresisDb;
            s->PauseFrames = PauseFrames;
            s->SpeechDecayDb = (float)(SpeechDecayDbPerSecond * HopMs / 1000);

            for (var i = 0; i < window; i++) m.Taper[i] = (float)(0.5 - 0.5 * Math.Cos(2 * Math.PI * (i + 0.5) / window));
            for (var i = 0; i < fft / 2; i++)
            {
                m.Cos[i] = (float)Math.Cos(2 * Math.PI * i / fft);
                m.Sin[i] = (float)Math.Sin(2 * Math.PI * i / fft);
            }
            FillMel(m.Mel, bands, bins, fft, sampleRate, window);
            for (var c = 0; c < ceps; c++)
                for (var k = 0; k < bands; k++)
                    m.Dct[c * bands + k] = (float)(Math.Sqrt((c == 0 ? 1.0 : 2.0) / bands) * Math.Cos(Math.PI * c * (k + 0.5) / bands));
            Copy(_model.MeanInit, m.MeanInit);
            for (var i = 0; i < _model.Context.Length; i++) m.Context[i] = _model.Context[i];
            Copy(_model.Shift, m.Shift); Copy(_model.Scale, m.Scale);
            Copy(_model.W1, m.W1); Copy(_model.B1, m.B1); Copy(_model.W2, m.W2); Copy(_model.B2, m.B2);
            Copy(Openness, m.Openness);
            _m = m;
            LipsyncKernel.Reset(_m);
        }

        ~LipsyncAnalyser() => Release();

        public int SampleRate { get; }
        /// <summary>Time constant of a weight rising (ms), as constructed.</summary>
        public double AttackMs { get; }
        /// <summary>Time constant of a weight falling (ms), as constructed.</summary>
        public double ReleaseMs { get; }
        public int HopSamples => _m.State->Hop;
        public LipsyncModel Model => _model;

        /// <summary>
        /// How far behind the newest written sample the newest frame's centre lies, in seconds: half a window
        /// plus the model's lookahead. Render audio at least this far ahead of its play time for lips on time.
        /// </summary>
        public double Delay => (_m.State->Window * 0.5 + _model.Lookahead * _m.State->Hop) / SampleRate;

        /// <summary>
        /// Analyses mono samples whose first sample is heard at <paramref name="playTime"/> (seconds, any clock
        /// shared with <see cref="Read"/>). Publishes one frame per completed hop. Audio thread; no allocation.
        /// </summary>
        public void Write(ReadOnlySpan<float> samples, double playTime)
        {
            if (_disposed || samples.Length == 0) return;
            var epoch = Volatile.Read(ref _flushEpoch);
            if (epoch != _resetEpoch)
            {
                LipsyncKernel.Reset(_m);
                _resetEpoch = epoch;
            }
            var s = _m.State;
            _anchorSample = s->SamplesIn;
            _anchorTime = playTime;
            fixed (float* src = &MemoryMarshal.GetReference(samples))
            {
                var done = 0;
                while (done < samples.Length)
                {
                    var before = s->Outputs;
                    done += LipsyncKernel.Consume(_m, src + done, samples.Length - done);
                    if (s->Outputs != before) Publish(s->Outputs - 1, epoch);
                }
            }
        }

        /// <summary>Rest from now on: <see cref="Read"/> returns rest at once; the next <see cref="Write"/> starts afresh.</summary>
        public void Flush() => Cut(double.NegativeInfinity);

        /// <summary>
        /// The audio written so far is heard only until <paramref name="time"/> (an interruption cut it there; the read-ahead
        /// past it will never play): <see cref="Read"/> returns its frames before <paramref name="time"/> and rest from
        /// then on; the next <see cref="Write"/> starts afresh (its audio is what plays after the cut). Same thread as
        /// <see cref="Write"/>, so no frame of the cut audio can be published after it.
        /// </summary>
        public void Cut(double time)
        {
            var next = Volatile.Read(ref _flushEpoch) + 1;
            Interlocked.Exchange(ref _cutBits[next & 1], BitConverter.DoubleToInt64Bits(time));
            Interlocked.Increment(ref _flushEpoch);
        }

        /// <summary>
        /// Writes the 15 viseme weights of the newest frame at or before <paramref name="time"/> into
        /// <paramref name="weights"/> and returns its jaw opening. Rest (sil = 1, jaw 0) when flushed, before the
        /// first frame, or when the audio stopped (newest frame older than <see cref="StaleMs"/>).
        /// </summary>
        public float Read(double time, Span<float> weights)
        {
            if (weights.Length < Visemes.Count)
                throw new ArgumentException("Weights must hold " + Visemes.Count + " values.", nameof(weights));
            var epoch = Volatile.Read(ref _flushEpoch);
            var cut = BitConverter.Int64BitsToDouble(Interlocked.Read(ref _cutBits[epoch & 1]));
            var published = Volatile.Read(ref _published);
            var oldest = Math.Max(0, published - PublishedFrames + 4);
            for (var k = published - 1; k >= oldest; k--)
            {
                var slot = (int)(k % PublishedFrames);
                var t = _frameTime[slot];
                if (t > time) continue;
                // Frames before the latest cut stay until it is heard.
                var current = _frameEpoch[slot] == epoch || (_frameEpoch[slot] == epoch - 1 && time < cut);
                if (!current || time - t > StaleMs / 1000) break;
                var at = slot * FrameValues;
                for (var i = 0; i < Visemes.Count; i++) weights[i] = _frameValues[at + i];
                var jaw = _frameValues[at + Visemes.Count];
                // The writer may have lapped this slot while it was copied: then the copy is not trusted.
                if (Volatile.Read(ref _published) - k < PublishedFrames - 1 && Volatile.Read(ref _flushEpoch) == epoch) return jaw;
                break;
            }
            Rest(weights);
            return 0f;
        }

        /// <summary>Rest pose: silence 1, every other viseme 0.</summary>
        public static void Rest(Span<float> weights)
        {
            for (var i = 0; i < Visemes.Count; i++) weights[i] = 0f;
            weights[(int)Viseme.Sil] = 1f;
        }

        /// <summary>
        /// Offline: the raw model inputs (before standardisation if the model's scale is 1 and shift 0) of every
        /// output frame of <paramref name="samples"/>, <see cref="LipsyncModel.Inputs"/> values each, appended to
        /// <paramref name="inputs"/>. Frame f describes the audio centred on sample f·hop + window/2. For the trainer.
        /// </summary>
        internal void AppendInputs(ReadOnlySpan<float> samples, System.Collections.Generic.List<float> inputs)
        {
            LipsyncKernel.Reset(_m);
            var s = _m.State;
            fixed (float* src = &MemoryMarshal.GetReference(samples))
            {
                var done = 0;
                while (done < samples.Length)
                {
                    var before = s->Outputs;
                    done += LipsyncKernel.Consume(_m, src + done, samples.Length - done);
                    if (s->Outputs == before) continue;
                    for (var i = 0; i < s->Inputs; i++) inputs.Add(_m.InputVector[i]);
                }
            }
        }

        /// <summary>Frames published since construction (offline readers walk them with <see cref="CopyPublished"/>).</summary>
        internal long PublishedCount => Volatile.Read(ref _published);

        /// <summary>Frame <paramref name="index"/> (one of the last <see cref="PublishedFrames"/>): its values and play time.</summary>
        internal double CopyPublished(long index, Span<float> values)
        {
            var slot = (int)(index % PublishedFrames);
            for (var i = 0; i < FrameValues; i++) values[i] = _frameValues[slot * FrameValues + i];
            return _frameTime[slot];
        }

        /// <summary>Centre of output frame <paramref name="frame"/>, in samples from the first written sample.</summary>
        public double FrameCentre(long frame) => frame * (double)_m.State->Hop + _m.State->Window * 0.5;

        void Publish(int frame, int epoch)
        {
            var k = Volatile.Read(ref _published);
            var slot = (int)(k % PublishedFrames);
            var at = slot * FrameValues;
            for (var i = 0; i < Visemes.Count; i++) _frameValues[at + i] = _m.Weights[i];
            _frameValues[at + Visemes.Count] = _m.State->JawOpen;
            _frameTime[slot] = _anchorTime + (FrameCentre(frame) - _anchorSample) / SampleRate;
            _frameEpoch[slot] = epoch;
            Volatile.Write(ref _published, k + 1);
        }

        static float Coefficient(double ms, int hop, int rate) =>
            ms <= 0 ? 1f : (float)(1 - Math.Exp(-hop * 1000.0 / rate / ms));

        static void Copy(float[] src, float* dst)
        {
            for (var i = 0; i < src.Length; i++) dst[i] = src[i];
        }

        // Triangular mel filters over power bins, each normalised to the mean power per Hz inside it, so the
        // same sound gives the same band value at any sample rate and window length.
        static void FillMel(float* mel, int bands, int bins, int fft, int rate, int window)
        {
            double Mel(double hz) => 2595 * Math.Log10(1 + hz / 700);
            double Hz(double m) => 700 * (Math.Pow(10, m / 2595) - 1);
            var lo = Mel(LipsyncModel.LowHz);
            var hi = Mel(LipsyncModel.HighHz);
            double taperPower = 0;
            for (var i = 0; i < window; i++)
            {
                var w = 0.5 - 0.5 * Math.Cos(2 * Math.PI * (i + 0.5) / window);
                taperPower += w * w;
            }
            for (var b = 0; b < bands; b++)
            {
                var left = Hz(lo + (hi - lo) * b / (bands + 1));
                var centre = Hz(lo + (hi - lo) * (b + 1) / (bands + 1));
                var right = Hz(lo + (hi - lo) * (b + 2) / (bands + 1));
                double sum = 0;
                for (var k = 0; k < bins; k++)
                {
                    var f = k * (double)rate / fft;
                    var w = f <= left || f >= right ? 0 : f < centre ? (f - left) / (centre - left) : (right - f) / (right - centre);
                    mel[b * bins + k] = (float)w;
                    sum += w;
                }
                var norm = sum > 0 ? 1.0 / (sum * taperPower) : 0;
                for (var k = 0; k < bins; k++) mel[b * bins + k] = (float)(mel[b * bins + k] * norm);
            }
        }

        public void Dispose()
        {
            Release();
            GC.SuppressFinalize(this);
        }

        void Release()
        {
            if (_disposed) return;
            _disposed = true;
            Marshal.FreeHGlobal(_block);
        }
    }
}
