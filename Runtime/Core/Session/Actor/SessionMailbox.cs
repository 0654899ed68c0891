using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Parley.Session.Actor
{
    /// <summary>
    /// The session's one queue. Provider events, host calls, tool results, control-call completions and timers
    /// all become messages here, run one at a time by one drainer: the session's own thread
    /// (<see cref="SessionLoop.Background"/>, woken by a <see cref="WakeSignal"/>, so the host's per-frame tick
    /// allocates nothing) or whoever posts / pumps (<see cref="SessionLoop.Inline"/>, never re-entrant). Messages
    /// never run under a lock, so they may call user code.
    /// </summary>
    sealed class SessionMailbox
    {
        sealed class Timer
        {
            public double DueMs;
            public Action Run;
            public bool Cancelled;
        }

        readonly ConcurrentQueue<Action> _queue = new ConcurrentQueue<Action>();
        readonly List<Timer> _timers = new List<Timer>(); // drainer-owned
        readonly SessionLoop _mode;
        readonly ISessionClock _clock;
        readonly WakeSignal _signal = new WakeSignal();
        readonly Action<Exception> _onError;
        int _draining;
        int _drainerThread;
        int _tickRequested;
        Action _tick;
        volatile bool _stopped;
        Thread _loop;

        readonly Func<bool> _notDraining;

        public SessionMailbox(SessionLoop mode, ISessionClock clock, Action<Exception> onError)
        {
            _notDraining = () => Volatile.Read(ref _draining) == 0 || _stopped;
            _mode = mode;
            _clock = clock;
            _onError = onError;
        }

        /// <summary>True on the thread currently running messages.</summary>
        public bool OnLoop => Volatile.Read(ref _drainerThread) == Thread.CurrentThread.ManagedThreadId;

        public bool Stopped => _stopped;

        /// <summary>The Background loop's thread is still running (tests: it ends when the session does).</summary>
        public bool ThreadAlive => _loop != null && _loop.IsAlive;

        /// <summary>The Background loop's thread (null until started, and in Inline mode).</summary>
        public Thread LoopThread => _loop;

        /// <summary>The handler of <see cref="RequestTick"/> (set once by the session).</summary>
        public Action TickHandler { set => _tick = value; }

        /// <summary>
        /// Asks for one tick on the loop. A flag, not a queued message: the host ticks every frame and a tick
        /// must not allocate; ticks requested while one is pending merge.
        /// </summary>
        public void RequestTick()
        {
            if (_stopped) return;
            Volatile.Write(ref _tickRequested, 1);
            if (_mode == SessionLoop.Inline) Drain();
            else _signal.Set();
        }

        public void Start()
        {
            if (_mode != SessionLoop.Background || _loop != null) return;
            _loop = new Thread(Loop) { IsBackground = true, Name = "Parley session" };
            _loop.Start();
        }

        /// <summary>Queues a message; any thread. In Inline mode the poster drains unless someone already is.</summary>
        public void Post(Action message)
        {
            if (_stopped) return;
            _queue.Enqueue(message);
            if (_mode == SessionLoop.Inline) Drain();
            else _signal.Set();
        }

        /// <summary>
        /// Runs what is queued and the timers that are due (Inline mode: when another thread is running messages,
        /// first waits for it to finish, so the caller sees everything that was queued before it). In Background
        /// mode it only wakes the loop.
        /// </summary>
        public void Pump()
        {
            if (_mode != SessionLoop.Inline)
            {
                _signal.Set();
                return;
            }
            if (!OnLoop && Volatile.Read(ref _draining) != 0) SpinWait.SpinUntil(_notDraining, 10000);
            Drain();
        }

        /// <summary>Nothing queued and nothing running.</summary>
        public bool IsIdle => _queue.IsEmpty && Volatile.Read(ref _draining) == 0 && Volatile.Read(ref _tickRequested) == 0;

        /// <summary>Runs <paramref name="run"/> on the loop at <paramref name="dueMs"/> (session clock). Loop only.</summary>
        public object Schedule(double dueMs, Action run)
        {
            var t = new Timer { DueMs = dueMs, Run = run };
            _timers.Add(t);
            if (_mode == SessionLoop.Background) _signal.Set();
            return t;
        }

        public static void Cancel(object timer)
        {
            if (timer is Timer t) t.Cancelled = true;
        }

        /// <summary>Stops taking messages; what is queued is dropped.</summary>
        public void Stop()
        {
            _stopped = true;
            _signal.Set();
        }

        void Drain()
        {
            while (true)
            {
                if (Interlocked.CompareExchange(ref _draining, 1, 0) != 0) return;
                Volatile.Write(ref _drainerThread, Thread.CurrentThread.ManagedThreadId);
                try { RunAll(); }
                finally
                {
                    Volatile.Write(ref _drainerThread, 0);
                    Volatile.Write(ref _draining, 0);
                }
                // A post that came in between the last check and the release above would otherwise wait.
                if ((_queue.IsEmpty && Volatile.Read(ref _tickRequested) == 0) || _stopped) return;
            }
        }

        void RunAll()
        {
            while (!_stopped)
            {
                if (_queue.TryDequeue(out var m)) { Run(m); continue; }
                if (RunDueTimer()) continue;
                if (Interlocked.Exchange(ref _tickRequested, 0) == 1 && _tick != null) { Run(_tick); continue; }
                return;
            }
        }

        bool RunDueTimer()
        {
            if (_timers.Count == 0) return false;
            var now = _clock.NowMs;
            for (var i = 0; i < _timers.Count; i++)
            {
                var t = _timers[i];
                if (t.Cancelled) { _timers.RemoveAt(i--); continue; }
                if (t.DueMs > now) continue;
                _timers.RemoveAt(i);
                Run(t.Run);
                return true;
            }
            return false;
        }

        void Run(Action m)
        {
            try { m(); }
            catch (Exception e) { _onError(e); }
        }

        double NextDueInMs()
        {
            var next = double.PositiveInfinity;
            var now = _clock.NowMs;
            foreach (var t in _timers) if (!t.Cancelled) next = Math.Min(next, t.DueMs - now);
            return next;
        }

        void Loop()
        {
            while (!_stopped)
            {
                Drain();
                // Wake for the next timer; a clock moved by hand (tests) is re-read at least every 50 ms.
                var wait = NextDueInMs();
                var ms = double.IsPositiveInfinity(wait) ? Timeout.Infinite : (int)Math.Max(1, Math.Min(50, Math.Ceiling(wait)));
                if (wait <= 0) continue;
                _signal.Wait(ms);
            }
        }
    }
}
