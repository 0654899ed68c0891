using Parley.Unity.Audio;
using UnityEngine;

namespace Parley.Samples
{
    /// <summary>Logs the engine's output format at start: the rate Parley resamples provider audio to.</summary>
    public sealed class LogEngineAudio : MonoBehaviour
    {
        void Start()
        {
            Debug.Log("Parley: engine output is " + EngineAudio.OutputFormat);
        }
    }
}
