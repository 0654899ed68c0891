using Parley.Audio;
using Parley.Providers;
using Parley.Session.Audio;

namespace Parley.Cli.Talk
{
    /// <summary>The CLI's microphone front end and virtual speaker, built from the package's own audio core.</summary>
    static class AudioPipeline
    {
        // The runner feeds and renders 10 ms per tick; a second of headroom covers any catch-up tick.
        const int MaxBlockMs = 1000;

        public static (ICaptureFrontEnd, ISpeakerOutput) Create(AudioFormat micFormat, ProviderCapabilities caps, int engineRate)
        {
            var capture = new ResamplingCaptureFrontEnd(micFormat, micFormat.FramesIn(MaxBlockMs));
            var speaker = new PlayoutSpeaker(caps.OutputSampleRate, engineRate, AudioFormat.Mono(engineRate).FramesIn(MaxBlockMs));
            return (capture, speaker);
        }
    }
}
