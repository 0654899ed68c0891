// A Unity player simulated in virtual time: the player loop, the audio thread and the microphone devices are clocks
// on one timeline, and the next due event runs next (scheduled actions, then microphone packets, then audio blocks,
// then frames, at equal times). Nothing sleeps: a run takes as long as its code, and the same seed gives the same
// run. One player at a time per process (Unity's engine state is process-wide), created and driven on one thread,
// which becomes the main thread.
using System;
using System.Collections.Generic;
using System.Threading;
using UnityEngine;

namespace Parley.Simulation
{
    public sealed class SimulatedPlayer : IDisposable
    {
        static readonly object[] True = { true };
        static readonly object[] False = { false };

        readonly DeterministicRandom _random;
        readonly LockstepAudioThread _audioThread;
        readonly List<Scheduled> _scheduled = new List<Scheduled>();
        readonly List<Exception> _exceptions = new List<Exception>();
        readonly List<BlendShapeRecord> _blendShapes = new List<BlendShapeRecord>();
        readonly AudioConfiguration _previousConfiguration;
        readonly Action _renderBlock;
        long _scheduleSeq;
        double _nextFrameTime;
        double _previousFrameTime;
        bool _quitRequested;
        bool _disposed;
        bool _inFrame;
        bool _running;
        double _stall;

        struct Scheduled
        {
            public double Time;
            public long Seq;
            public Action Action;
        }

        public SimulatedPlayer() : this(new SimulatedPlayerOptions()) { }

        public SimulatedPlayer(SimulatedPlayerOptions options)
        {
            Options = options ?? throw new ArgumentNullException(nameof(options));
            if (options.FramesPerSecond <= 0) throw new ArgumentOutOfRangeException(nameof(options), "FramesPerSecond must be positive.");
            if (options.DspBufferSize <= 0 || options.OutputSampleRate <= 0) throw new ArgumentOutOfRangeException(nameof(options), "The audio device needs a rate and a block size.");
            if (Interlocked.CompareExchange(ref Engine.Player, this, null) != null)
                throw new InvalidOperationException("A simulated player is running already; dispose it first (Unity's engine state is per process).");
            try
            {
                MainThreadId = Thread.CurrentThread.ManagedThreadId;
                _random = new DeterministicRandom(options.Seed);
                _blendShapes.Capacity = Math.Max(0, options.BlendShapeRecordCapacity);
                _previousConfiguration = Engine.Audio.Configuration;
                Lifecycle.Reset();
                Engine.Clock.Reset();
                Engine.Microphones.Clear();
                UnityEngine.Input.Reset();
                Engine.Permissions.Reset(options.Platform);
                var config = AudioEngine.DefaultConfiguration;
                config.sampleRate = options.OutputSampleRate;
                config.dspBufferSize = options.DspBufferSize;
                config.speakerMode = options.SpeakerMode;
                Engine.Audio.Start(config, options.NumBuffers, options.OutputClockDrift);
                Engine.Audio.Heard = RaiseHeard;
                _renderBlock = Engine.Audio.RenderBlock;
                _audioThread = new LockstepAudioThread();
            }
            catch
            {
                Interlocked.CompareExchange(ref Engine.Player, null, this);
                throw;
            }
            IsRunning = true;
            IsFocused = true;
        }

        public SimulatedPlayerOptions Options { get; }

        /// <summary>Virtual seconds since the player started.</summary>
        public double Now { get; private set; }

        public int MainThreadId { get; }

        /// <summary>The thread OnAudioFilterRead and PCMReaderCallback run on.</summary>
        public int AudioThreadId => _audioThread.ManagedThreadId;

        public bool IsRunning { get; private set; }
        public bool IsFocused { get; private set; }
        public bool IsPaused { get; private set; }

        /// <summary>Frames run so far (Time.frameCount).</summary>
        public int FrameCount => Engine.Clock.FrameCount;

        /// <summary>DSP blocks rendered so far.</summary>
        public long AudioBlocks => Engine.Audio.BlocksRendered;

        /// <summary>Exceptions thrown by scripts (messages, OnAudioFilterRead, callbacks); Unity logs them and goes on.</summary>
        public IReadOnlyList<Exception> Exceptions => _exceptions;

        /// <summary>Every SetBlendShapeWeight call, in order.</summary>
        public IReadOnlyList<BlendShapeRecord> BlendShapes => _blendShapes;

        /// <summary>Each block the AudioListener heard (interleaved samples, channels, rate), raised on the audio thread.</summary>
        public event Action<float[], int, int> Heard;

        public IReadOnlyList<GameObject> Scene => Lifecycle.Scene;

        /// <summary>The device's microphone permission (Android/iOS ask; other platforms are granted).</summary>
        public SimulatedPermissions Permissions => Engine.Permissions;

        /// <summary>Connects a microphone device (it appears in Microphone.devices).</summary>
        public SimulatedMicrophone AddMicrophone(SimulatedMicrophone device)
        {
            OnMainThread();
            Engine.Microphones.Add(device ?? throw new ArgumentNullException(nameof(device)));
            return device;
        }

        /// <summary>
        /// The player presses (<paramref name="down"/>) or releases a key: between frames, the next frame sees it (Unity
        /// reads input as a frame begins), so Input.GetKeyDown or GetKeyUp is true for that one frame.
        /// </summary>
        public void SetKey(KeyCode key, bool down)
        {
            OnMainThread();
            UnityEngine.Input.SetKey(key, down, _inFrame ? FrameCount : FrameCount + 1);
        }

        /// <summary>Runs <paramref name="action"/> on the main thread at virtual time <paramref name="atSeconds"/> (between frames), e.g. unplug at 3 s.</summary>
        public void At(double atSeconds, Action action)
        {
            OnMainThread();
            var item = new Scheduled { Time = Math.Max(atSeconds, Now), Seq = _scheduleSeq++, Action = action ?? throw new ArgumentNullException(nameof(action)) };
            var i = _scheduled.Count;
            while (i > 0 && (_scheduled[i - 1].Time > item.Time)) i--;
            _scheduled.Insert(i, item);
        }

        /// <summary>Advances virtual time by <paramref name="seconds"/>, running everything due.</summary>
        public void RunFor(double seconds) => RunUntilTime(Now + seconds, null);

        /// <summary>Runs until <paramref name="frames"/> more frames have run.</summary>
        public void RunFrames(int frames)
        {
            _frameTarget = FrameCount + frames;
            RunUntilTime(double.PositiveInfinity, _frameTargetReached ?? (_frameTargetReached = () => FrameCount >= _frameTarget));
        }

        // RunFrames(1) per benchmark step must allocate nothing (no closure per call).
        int _frameTarget;
        Func<bool> _frameTargetReached;

        /// <summary>Runs until <paramref name="condition"/> holds after a frame, or <paramref name="timeoutSeconds"/> of virtual time pass. True if it held.</summary>
        public bool RunUntil(Func<bool> condition, double timeoutSeconds)
        {
            if (condition == null) throw new ArgumentNullException(nameof(condition));
            if (condition()) return true;
            return RunUntilTime(Now + timeoutSeconds, condition);
        }

        bool RunUntilTime(double end, Func<bool> afterFrame)
        {
            OnMainThread();
            if (_running) throw new InvalidOperationException("The player loop cannot be run from inside itself (a script or scheduled action called RunFor).");
            _running = true;
            try { return RunLoop(end, afterFrame); }
            finally { _running = false; }
        }

        bool RunLoop(double end, Func<bool> afterFrame)
        {
            while (IsRunning)
            {
                var tAction = _scheduled.Count > 0 ? _scheduled[0].Time : double.PositiveInfinity;
                var mic = NextMicrophone(out var tMic);
                var tAudio = IsPaused ? double.PositiveInfinity : Engine.Audio.NextBlockTime;
                var tFrame = IsPaused ? double.PositiveInfinity : _nextFrameTime;
                var t = Math.Min(Math.Min(tAction, tMic), Math.Min(tAudio, tFrame));
                if (t > end || double.IsPositiveInfinity(t)) break;
                Now = t;
                if (tAction == t)
                {
                    var item = _scheduled[0];
                    _scheduled.RemoveAt(0);
                    RunScripted(item.Action);
                }
                else if (tMic == t) mic.DeliverPacket();
                else if (tAudio == t) _audioThread.Run(_renderBlock);
                else
                {
                    RunFrame();
                    if (afterFrame != null && afterFrame()) return true;
                }
            }
            if (!double.IsPositiveInfinity(end) && IsRunning) Now = Math.Max(Now, end);
            return false;
        }

        static SimulatedMicrophone NextMicrophone(out double time)
        {
            time = double.PositiveInfinity;
            SimulatedMicrophone next = null;
            var all = Engine.Microphones.All;
            for (var i = 0; i < all.Count; i++)   // by index: the player loop itself allocates nothing per event
            {
                var t = all[i].NextPacketTime;
                if (t < time) { time = t; next = all[i]; }
            }
            return next;
        }

        void RunFrame()
        {
            Engine.Clock.BeginFrame(Now, _previousFrameTime, Engine.Clock.FrameCount == 0);
            _previousFrameTime = Now;
            _inFrame = true;
            try { Lifecycle.RunFrame(); }
            finally { _inFrame = false; }
            _nextFrameTime = Now + FrameDuration(Now) + _stall;
            _stall = 0;
            if (_quitRequested) QuitNow(askScripts: true);
        }

        /// <summary>A blocking call on the main thread: the current frame (or, between frames, the next one) starts that much later.</summary>
        internal void Stall(double seconds)
        {
            if (_inFrame) _stall += seconds;
            else _nextFrameTime = Math.Max(_nextFrameTime, Now) + seconds;
        }

        double FrameDuration(double start)
        {
            var nominal = 1.0 / Options.FramesPerSecond;
            var d = nominal * (1.0 + Options.FrameJitter * _random.NextSigned());
            foreach (var h in Options.Hitches)
                if (h.AtSeconds >= start && h.AtSeconds < start + nominal) d += h.Seconds;
            if (Options.RandomHitchProbability > 0 && _random.NextDouble() < Options.RandomHitchProbability) d += Options.RandomHitchSeconds;
            return Math.Max(d, 1e-6);
        }

        void RunScripted(Action action)
        {
            try { action(); }
            catch (Exception e) { Lifecycle.Report(e); }
        }

        /// <summary>The application gains or loses focus: OnApplicationFocus to every script, then Application.focusChanged.</summary>
        public void SetFocus(bool focused)
        {
            OnMainThread();
            if (IsFocused == focused) return;
            IsFocused = focused;
            Lifecycle.Broadcast("OnApplicationFocus", focused ? True : False);
            RunScripted(() => Application.RaiseFocusChanged(focused));
        }

        /// <summary>The application is paused (sent to the background) or resumed: OnApplicationPause; while paused no frame runs and the mixer stops (dspTime holds).</summary>
        public void SetPaused(bool paused)
        {
            OnMainThread();
            if (IsPaused == paused) return;
            IsPaused = paused;
            Lifecycle.Broadcast("OnApplicationPause", paused ? True : False);
            if (!paused)
            {
                // The loop and the mixer resume from now: the pause is one long frame, and no audio block is owed.
                _nextFrameTime = Math.Max(_nextFrameTime, Now);
                Engine.Audio.Reset(Engine.Audio.Configuration, stopSources: false);
            }
        }

        /// <summary>The OS changes the output device (e.g. headphones plugged in): Unity resets audio, which stops every source, and raises OnAudioConfigurationChanged(true).</summary>
        public void ChangeOutputDevice(int sampleRate, int dspBufferSize = 0)
        {
            OnMainThread();
            var c = Engine.Audio.Configuration;
            if (sampleRate > 0) c.sampleRate = sampleRate;
            if (dspBufferSize > 0) c.dspBufferSize = dspBufferSize;
            Engine.Audio.Reset(c);
            RunScripted(() => AudioSettings.RaiseConfigurationChanged(true));
        }

        /// <summary>
        /// The scene is unloaded, as <c>SceneManager.LoadScene(…, LoadSceneMode.Single)</c> or <c>UnloadSceneAsync</c> do
        /// to the scene everything was created in (SceneManager itself is not modelled): every GameObject not marked
        /// <c>DontDestroyOnLoad</c> gets OnDisable and OnDestroy and is gone; the player goes on.
        /// </summary>
        public void UnloadScene()
        {
            OnMainThread();
            Lifecycle.DestroyScene();
        }

        /// <summary>Application.Quit: handled at the end of the current frame (wantsToQuit may cancel it).</summary>
        internal void RequestQuit() => _quitRequested = true;

        /// <summary>Quits now as a player does: OnApplicationQuit, Application.quitting, then OnDisable and OnDestroy of every object.</summary>
        public void Quit()
        {
            OnMainThread();
            QuitNow(askScripts: true);
        }

        void QuitNow(bool askScripts)
        {
            _quitRequested = false;
            if (!IsRunning) return;
            if (askScripts && !Application.RaiseWantsToQuit()) return;
            Lifecycle.Broadcast("OnApplicationQuit", null);
            RunScripted(Application.RaiseQuitting);
            Lifecycle.DestroyAll();
            IsRunning = false;
        }

        internal void RecordException(Exception e)
        {
            lock (_exceptions) _exceptions.Add(e);
        }

        internal void RecordBlendShape(SkinnedMeshRenderer renderer, int index, float weight) =>
            _blendShapes.Add(new BlendShapeRecord(Engine.Clock.FrameCount, Now, renderer, index, weight));

        void RaiseHeard(float[] block, int channels, int rate) => Heard?.Invoke(block, channels, rate);

        void OnMainThread()
        {
            if (_disposed) throw new ObjectDisposedException(nameof(SimulatedPlayer));
            if (Thread.CurrentThread.ManagedThreadId != MainThreadId)
                throw new InvalidOperationException("Drive the simulated player from the thread that created it (its main thread).");
        }

        /// <summary>Leaves play: quits if still running (no wantsToQuit), stops the audio thread, restores the edit-mode engine.</summary>
        public void Dispose()
        {
            if (_disposed) return;
            if (IsRunning) QuitNow(askScripts: false);
            _disposed = true;
            _audioThread.Dispose();
            Engine.Audio.Heard = null;
            Engine.Audio.Start(_previousConfiguration, 4, 0);
            Engine.Microphones.Clear();
            Engine.Permissions.Reset(RuntimePlatform.LinuxEditor);
            Lifecycle.Reset();
            Engine.Clock.Reset();
            Interlocked.CompareExchange(ref Engine.Player, null, this);
        }
    }
}
