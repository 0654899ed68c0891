using System;
using System.Threading;
using System.Threading.Tasks;
using Parley.Providers;
using Parley.Session.Actor;

namespace Parley.Session.Audio
{
    /// <summary>
    /// The player's audio, on its own lane: the host writes provider-rate PCM16 into a bounded backlog (never
    /// blocking), and the lane hands it to the current connection in fixed chunks, alongside any control call
    /// (as <see cref="IVoiceProvider"/> allows). A chunk leaves the backlog only after its send succeeded, so
    /// audio in flight when a connection drops is sent again on the next one; while there is no connection the
    /// backlog keeps the newest audio up to its bound and counts the rest as dropped.
    /// Where there are threads (<see cref="SessionLoop.Background"/>) the sender is a thread of its own, woken
    /// through a <see cref="WakeSignal"/> (allocates nothing). Without threads (<see cref="SessionLoop.Inline"/>,
    /// WebGL) <see cref="VoiceSession.Tick"/> and a new connection pump the lane: a send the socket takes at once
    /// completes on the spot, one it cannot is kept and looked at again on the next tick. The writer only copies:
    /// nothing is queued to the thread pool (its queue growth or a new worker would allocate on the writer's thread)
    /// and no socket work or failure handling runs inside a capture callback.
    /// </summary>
    sealed class PlayerAudioLane
    {
        readonly object _gate = new object();
        readonly WakeSignal _wake = new WakeSignal();
        bool _threaded;
        CancellationToken _life;
        // Inline pumping: one pumper at a time; a pump asked for meanwhile is run by that pumper before it leaves.
        int _pumping, _pumpAgain;
        ValueTask _inFlight;
        bool _hasInFlight;
        int _inFlightSamples, _inFlightGeneration;
        readonly Action<int, Exception> _sendFailed;
        InputBacklog _backlog;
        short[] _chunk;
        IVoiceProvider _provider;
        int _generation;
        Task _loop;
        Thread _thread;

        /// <param name="sendFailed">Called (on the send task) with the connection's generation when a send fails.</param>
        public PlayerAudioLane(Action<int, Exception> sendFailed) { _sendFailed = sendFailed; }

        public void Configure(int capacitySamples, int chunkSamples)
        {
            _backlog = new InputBacklog(capacitySamples);
            _chunk = new short[Math.Max(1, chunkSamples)];
        }

        public int Pending => _backlog?.Count ?? 0;
        public long Dropped => _backlog?.Dropped ?? 0;

        public void Write(ReadOnlySpan<short> pcm)
        {
            var b = _backlog;
            if (b == null || pcm.IsEmpty) return;
            b.Write(pcm);
            Wake();   // Inline: the next Tick sends it
        }

        /// <summary>Sends go to <paramref name="provider"/> from now on (null: hold everything).</summary>
        public void Attach(IVoiceProvider provider, int generation)
        {
            lock (_gate)
            {
                _provider = provider;
                _generation = generation;
            }
            Wake();
            Pump();
        }

        public void Detach() => Attach(null, 0);

        /// <param name="threaded">Send from a dedicated thread (else from a task).</param>
        public void Start(CancellationToken life, bool threaded)
        {
            if (_loop != null) return;
            _life = life;
            if (!threaded)
            {
                _loop = Task.CompletedTask;
                Pump();
                return;
            }
            _threaded = true;
            var stopped = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            _loop = stopped.Task;
            life.Register(_wake.Set);
            var thread = new Thread(() =>
            {
                try { SendLoop(life); }
                finally { stopped.TrySetResult(true); }
            }) { IsBackground = true, Name = "Parley send lane" };
            thread.Start();
            _thread = thread;   // after Start: whoever sees it can join it
        }

        /// <summary>The dedicated send thread (null until started, and when not threaded).</summary>
        public Thread Thread => _thread;

        /// <summary>Completes when the send task has stopped (after the session's life token is cancelled).</summary>
        public Task Stopped => _loop ?? Task.CompletedTask;

        void Wake()
        {
            if (_threaded) _wake.Set();
        }

        /// <summary>
        /// Inline mode: sends what the socket takes now and notes a send still in flight (the next
        /// <see cref="VoiceSession.Tick"/> looks at it again). Safe from any thread; never re-entered.
        /// </summary>
        public void Pump()
        {
            if (_threaded || _loop == null) return;
            Volatile.Write(ref _pumpAgain, 1);
            while (Volatile.Read(ref _pumpAgain) == 1 && Interlocked.CompareExchange(ref _pumping, 1, 0) == 0)
            {
                try
                {
                    Volatile.Write(ref _pumpAgain, 0);
                    PumpOnce();
                }
                finally { Volatile.Write(ref _pumping, 0); }
            }
        }

        void PumpOnce()
        {
            while (!_life.IsCancellationRequested)
            {
                if (_hasInFlight)
                {
                    if (!_inFlight.IsCompleted) return;
                    _hasInFlight = false;
                    try
                    {
                        _inFlight.GetAwaiter().GetResult();
                        _backlog.Consume(_inFlightSamples);
                    }
                    catch (OperationCanceledException) when (_life.IsCancellationRequested) { return; }
                    catch (Exception e)
                    {
                        SendFailed(_inFlightGeneration, e);
                        return;
                    }
                }
                if (!TakeChunk(out var provider, out var generation, out var n)) return;
                try { _inFlight = provider.SendAudioAsync(new ReadOnlyMemory<short>(_chunk, 0, n), _life); }
                catch (Exception e)
                {
                    if (!_life.IsCancellationRequested) SendFailed(generation, e);
                    return;
                }
                _hasInFlight = true;
                _inFlightSamples = n;
                _inFlightGeneration = generation;
            }
        }

        void SendLoop(CancellationToken life)
        {
            while (!life.IsCancellationRequested)
            {
                _wake.Wait(Timeout.Infinite);
                while (!life.IsCancellationRequested)
                {
                    if (!TakeChunk(out var provider, out var generation, out var n)) break;
                    try
                    {
                        var sent = provider.SendAudioAsync(new ReadOnlyMemory<short>(_chunk, 0, n), life);
                        // A socket with room completes at once (no allocation); otherwise this thread waits for it.
                        if (sent.IsCompleted) sent.GetAwaiter().GetResult();
                        else sent.AsTask().GetAwaiter().GetResult();
                        _backlog.Consume(n);
                    }
                    catch (OperationCanceledException) when (life.IsCancellationRequested) { return; }
                    catch (Exception e)
                    {
                        SendFailed(generation, e);
                        break;
                    }
                }
            }
        }

        /// <summary>The next chunk to send and where to; false when there is no connection or nothing to send.</summary>
        bool TakeChunk(out IVoiceProvider provider, out int generation, out int n)
        {
            lock (_gate)
            {
                provider = _provider;
                generation = _generation;
            }
            n = provider == null ? 0 : _backlog.Peek(_chunk);   // no connection: Attach wakes us again
            return n > 0;
        }

        void SendFailed(int generation, Exception e)
        {
            // The audio stays in the backlog; the loop decides about the connection.
            lock (_gate) if (_generation == generation) _provider = null;
            _sendFailed(generation, e);
        }
    }
}
