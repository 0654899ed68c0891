using Parley.Audio;
using Parley.Providers;
using Parley.Session.Audio;

namespace Parley.Cli.Talk
{
    /// <summary>The CLI's microphone front end and virtual speaker, built from the package's own audio core.</summary>
    static class AudioPipeline
    {
        public static (ICaptureFrontEnd, ISpeakerOutput) Create(AudioFormat micFormat, ProviderCapabilities caps, int engineRate)
        {
            throw new CliError("The audio pipeline (resampler, playout buffer) is not part of this build yet.", ExitCodes.Failed);
        }
    }
}
