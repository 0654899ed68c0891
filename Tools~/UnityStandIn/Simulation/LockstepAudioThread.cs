// The simulated audio thread: a real thread, so OnAudioFilterRead and PCMReaderCallback run off the main thread as
// in Unity (main-thread-only members throw there, thread-affine code is caught), but driven in lock-step by the
// virtual clock: the player hands it one DSP block and waits until it is rendered. Exactly one of the two threads
// runs at any time, so a run is deterministic and as fast as the CPU allows; the price is that races between the
// threads are not explored (they need a stress test with free-running threads, not a simulation).
using System;
using System.Threading;

namespace Parley.Simulation
{
    internal sealed class LockstepAudioThread : IDisposable
    {
        readonly Thread _thread;
        readonly SemaphoreSlim _go = new SemaphoreSlim(0);
        readonly SemaphoreSlim _done = new SemaphoreSlim(0);
        Action _work;
        volatile bool _stopping;

        internal LockstepAudioThread()
        {
            _thread = new Thread(Loop) { IsBackground = true, Name = "Simulated audio thread" };
            _thread.Start();
        }

        internal int ManagedThreadId => _thread.ManagedThreadId;

        /// <summary>Runs <paramref name="work"/> on the audio thread and returns when it has finished.</summary>
        internal void Run(Action work)
        {
            _work = work;
            _go.Release();
            _done.Wait();
        }

        void Loop()
        {
            while (true)
            {
                _go.Wait();
                if (_stopping) return;
                try { _work(); }
                catch (Exception e) { Lifecycle.Report(e); }
                _done.Release();
            }
        }

        public void Dispose()
        {
            _stopping = true;
            _go.Release();
            _thread.Join();
            _go.Dispose();
            _done.Dispose();
        }
    }
}
