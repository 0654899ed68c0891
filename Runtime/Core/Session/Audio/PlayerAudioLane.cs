using System;
using System.Threading;
using System.Threading.Tasks;
using Parley.Providers;

namespace Parley.Session.Audio
{
    /// <summary>
    /// The player's audio, on its own lane: the host writes provider-rate PCM16 into a bounded backlog (never
    /// blocking), and a send task hands it to the current connection in fixed chunks, alongside any control
    /// call (as <see cref="IVoiceProvider"/> allows). A chunk leaves the backlog only after its send succeeded,
    /// so audio in flight when a connection drops is sent again on the next one; while there is no connection
    /// the backlog keeps the newest audio up to its bound and counts the rest as dropped.
    /// </summary>
    sealed class PlayerAudioLane
    {
        readonly object _gate = new object();
        readonly SemaphoreSlim _signal = new SemaphoreSlim(0);
        readonly Action<int, Exception> _sendFailed;
        InputBacklog _backlog;
        short[] _chunk;
        IVoiceProvider _provider;
        int _generation;
        Task _loop;

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
            Wake();
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
        }

        public void Detach() => Attach(null, 0);

        public void Start(CancellationToken life)
        {
            if (_loop == null) _loop = SendLoopAsync(life);
        }

        /// <summary>Completes when the send task has stopped (after the session's life token is cancelled).</summary>
        public Task Stopped => _loop ?? Task.CompletedTask;

        void Wake()
        {
            if (_signal.CurrentCount == 0) _signal.Release();
        }

        async Task SendLoopAsync(CancellationToken life)
        {
            try
            {
                while (!life.IsCancellationRequested)
                {
                    await _signal.WaitAsync(life).ConfigureAwait(false);
                    while (!life.IsCancellationRequested)
                    {
                        IVoiceProvider provider;
                        int generation;
                        lock (_gate)
                        {
                            provider = _provider;
                            generation = _generation;
                        }
                        if (provider == null) break; // Attach wakes us again
                        var n = _backlog.Peek(_chunk);
                        if (n == 0) break;
                        try
                        {
                            await provider.SendAudioAsync(new ReadOnlyMemory<short>(_chunk, 0, n), life).ConfigureAwait(false);
                            _backlog.Consume(n);
                        }
                        catch (OperationCanceledException) when (life.IsCancellationRequested) { return; }
                        catch (Exception e)
                        {
                            // The audio stays in the backlog; the loop decides about the connection.
                            lock (_gate) if (_generation == generation) _provider = null;
                            _sendFailed(generation, e);
                            break;
                        }
                    }
                }
            }
            catch (OperationCanceledException) { }
        }
    }
}
