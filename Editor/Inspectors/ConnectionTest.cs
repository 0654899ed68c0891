using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using Parley.Providers;

namespace Parley.Editor.Inspectors
{
    /// <summary>What a Test connection measured. Times in milliseconds; null when that step was not reached.</summary>
    public sealed class ConnectionTestResult
    {
        public bool Succeeded;
        /// <summary>From opening the socket until the server accepted the session configuration.</summary>
        public double? ConnectMs;
        /// <summary>From sending the prompt until the first audio of the reply arrived.</summary>
        public double? FirstAudioMs;
        /// <summary>Reply audio received before the test closed (samples at <see cref="SampleRate"/>).</summary>
        public int AudioSamples;
        public int SampleRate;
        /// <summary>The provider's typed error, or what went wrong (never a key).</summary>
        public string Error;
        /// <summary>The first <see cref="KeepSamples"/> samples of the reply (the caller asked to keep them), else null.</summary>
        public short[] FirstSamples;

        public string Summary() => Succeeded
            ? "Connected in " + ConnectMs.Value.ToString("0") + " ms; first audio " + FirstAudioMs.Value.ToString("0") + " ms after the prompt."
            : "Failed" + (ConnectMs.HasValue ? " after connecting in " + ConnectMs.Value.ToString("0") + " ms" : "") + ": " + Error;

        internal int KeepSamples;
    }

    /// <summary>
    /// The inspector's Test connection: opens one session with a profile's provider and configuration, sends a short
    /// text prompt, and times the connect and the first audio of the reply, then closes. Needs no microphone, scene or
    /// play mode; runs off the main thread (the inspector polls the task).
    /// </summary>
    public static class ConnectionTest
    {
        public const string DefaultPrompt = "Say hello in five words or fewer.";

        /// <param name="keepSamples">How many reply samples to keep in the result (tests compare them with what the server sent).</param>
        public static async Task<ConnectionTestResult> RunAsync(Func<IVoiceProvider> createProvider, SessionConfig config, string prompt,
            TimeSpan timeout, CancellationToken cancellationToken, int keepSamples = 0)
        {
            var result = new ConnectionTestResult { KeepSamples = keepSamples };
            var listener = new Listener(result);
            IVoiceProvider provider = null;
            using (var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                cts.CancelAfter(timeout);
                var clock = Stopwatch.StartNew();
                try
                {
                    provider = createProvider();
                    result.SampleRate = provider.Capabilities.OutputSampleRate;
                    await provider.ConnectAsync(config ?? new SessionConfig(), listener, cts.Token).ConfigureAwait(false);
                    result.ConnectMs = clock.Elapsed.TotalMilliseconds;
                    listener.PromptSentTicks = Stopwatch.GetTimestamp();
                    await provider.SendTextAsync(string.IsNullOrWhiteSpace(prompt) ? DefaultPrompt : prompt, cts.Token).ConfigureAwait(false);
                    using (cts.Token.Register(() => listener.FirstAudio.TrySetCanceled()))
                        result.FirstAudioMs = await listener.FirstAudio.Task.ConfigureAwait(false);
                    result.Succeeded = true;
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    result.Error = listener.Error ?? "no " + (result.ConnectMs.HasValue ? "audio" : "session") + " within " + timeout.TotalSeconds.ToString("0") + " s";
                }
                catch (Exception e) when (!(e is OperationCanceledException))
                {
                    // Typed provider errors, refused upgrades, bad URLs, unreachable hosts: all are a result to show, not a crash.
                    result.Error = listener.Error ?? e.Message;
                }
                finally
                {
                    if (provider != null)
                    {
                        try { await provider.DisconnectAsync(CancellationToken.None).ConfigureAwait(false); }
                        catch (Exception) { /* the result is already decided; closing a broken connection may fail */ }
                        provider.Dispose();
                    }
                }
            }
            lock (listener) result.AudioSamples = listener.Samples;
            return result;
        }

        sealed class Listener : IProviderListener
        {
            readonly ConnectionTestResult _result;
            public readonly TaskCompletionSource<double> FirstAudio = new TaskCompletionSource<double>(TaskCreationOptions.RunContinuationsAsynchronously);
            public long PromptSentTicks;
            public int Samples;
            public string Error;

            public Listener(ConnectionTestResult result) { _result = result; }

            public void OnEvent(ProviderEvent e)
            {
                if (e is ProviderError error)
                {
                    Error = error.ErrorKind + (string.IsNullOrEmpty(error.Code) ? "" : " (" + error.Code + ")") + ": " + error.Message;
                    // One prompt, one reply: any error (a refused response, a rate limit) means no reply is coming.
                    FirstAudio.TrySetException(new InvalidOperationException(Error));
                }
                else if (e is Disconnected d && !d.ByClient)
                    FirstAudio.TrySetException(new InvalidOperationException(Error ?? "the server closed the connection (" + d.CloseStatus + " " + d.Reason + ")"));
            }

            public void OnAudio(string itemId, ReadOnlySpan<short> pcm)
            {
                if (pcm.Length == 0) return;
                lock (this)
                {
                    if (_result.KeepSamples > 0)
                    {
                        var kept = _result.FirstSamples?.Length ?? 0;
                        var take = Math.Min(_result.KeepSamples - kept, pcm.Length);
                        if (take > 0)
                        {
                            var grown = new short[kept + take];
                            if (kept > 0) Array.Copy(_result.FirstSamples, grown, kept);
                            pcm.Slice(0, take).CopyTo(new Span<short>(grown, kept, take));
                            _result.FirstSamples = grown;
                        }
                    }
                    Samples += pcm.Length;
                }
                var ms = (Stopwatch.GetTimestamp() - Volatile.Read(ref PromptSentTicks)) * 1000.0 / Stopwatch.Frequency;
                FirstAudio.TrySetResult(ms);
            }
        }
    }
}
