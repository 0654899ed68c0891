// Stand-in for UnityEngine.AudioClip (api-signatures.md §2; UnityCsReference Modules/Audio/Public/ScriptBindings/
// Audio.bindings.cs). The 2021.3 surface: `: Object`, no Span overloads. Behaviour (audio-behaviour.md §2, §4):
// the managed argument checks of Create/SetData; GetData/SetData wrap around the end of the clip; GetData on a
// streamed clip zero-fills, logs an error and returns false; every member is main-thread only. A clip created
// with stream = false and a PCMReaderCallback is filled by the callback at Create, in chunks.
using System;
using Parley.Simulation;

namespace UnityEngine
{
    public enum AudioDataLoadState { Unloaded = 0, Loading = 1, Loaded = 2, Failed = 3 }

    public enum AudioClipLoadType { DecompressOnLoad = 0, CompressedInMemory = 1, Streaming = 2 }

    public sealed class AudioClip : Object
    {
        // Frames per PCMReaderCallback call when a non-streamed clip is filled at Create (Unity's chunk size is
        // unconfirmed; the docs only say "multiple times" for long clips).
        internal const int CreateChunkFrames = 4096;

        internal int m_Samples;
        internal int m_Channels;
        internal int m_Frequency;
        internal bool m_Stream;
        internal float[] m_Data;
        internal PCMReaderCallback m_Reader;
        internal PCMSetPositionCallback m_SetPosition;

        AudioClip() { }

        public float length { get { Engine.MainThreadOnly("get_length"); return m_Samples / (float)m_Frequency; } }
        public int samples { get { Engine.MainThreadOnly("get_samples"); return m_Samples; } }
        public int channels { get { Engine.MainThreadOnly("get_channels"); return m_Channels; } }
        public int frequency { get { Engine.MainThreadOnly("get_frequency"); return m_Frequency; } }

        [Obsolete("Use AudioClip.loadState instead to get more detailed information about the loading process.")]
        public bool isReadyToPlay { get { Engine.MainThreadOnly("get_isReadyToPlay"); return true; } }

        public AudioClipLoadType loadType
        {
            get { Engine.MainThreadOnly("get_loadType"); return m_Stream ? AudioClipLoadType.Streaming : AudioClipLoadType.DecompressOnLoad; }
        }

        public bool LoadAudioData() { Engine.MainThreadOnly("LoadAudioData"); return true; }
        public bool UnloadAudioData() { Engine.MainThreadOnly("UnloadAudioData"); return true; }
        public bool preloadAudioData { get { Engine.MainThreadOnly("get_preloadAudioData"); return true; } }
        public bool ambisonic { get { Engine.MainThreadOnly("get_ambisonic"); return false; } }
        public bool loadInBackground { get { Engine.MainThreadOnly("get_loadInBackground"); return false; } }
        public AudioDataLoadState loadState { get { Engine.MainThreadOnly("get_loadState"); return AudioDataLoadState.Loaded; } }

        public bool GetData(float[] data, int offsetSamples)
        {
            Engine.MainThreadOnly("GetData");
            if (m_Channels <= 0)
            {
                Debug.Log("AudioClip.GetData failed; AudioClip " + NameUnchecked + " contains no data");
                return false;
            }
            if (data == null) return true;
            if (m_Stream)
            {
                Array.Clear(data, 0, data.Length);
                Debug.LogError("Cannot get data from streamed samples for audio clip \"" + NameUnchecked + "\". If the audio clip is streamed, GetData is not supported.");
                return false;
            }
            CopyWrapped(m_Data, m_Samples, m_Channels, offsetSamples, data, data.Length / m_Channels, toClip: false);
            return true;
        }

        public bool SetData(float[] data, int offsetSamples)
        {
            Engine.MainThreadOnly("SetData");
            if (m_Channels <= 0)
            {
                Debug.Log("AudioClip.SetData failed; AudioClip " + NameUnchecked + " contains no data");
                return false;
            }
            if (offsetSamples < 0 || offsetSamples >= m_Samples) throw new ArgumentException("AudioClip.SetData failed; invalid offsetSamples");
            if (data == null || data.Length == 0) throw new ArgumentException("AudioClip.SetData failed; invalid data");
            if (m_Stream)
            {
                // Assumption (not documented): streamed clips have no sample buffer to write into.
                Debug.LogError("Cannot set data on streamed samples for audio clip \"" + NameUnchecked + "\".");
                return false;
            }
            WriteUnchecked(data, data.Length / m_Channels, offsetSamples);
            return true;
        }

        // Used by the simulated microphone device (it writes from its own thread in Unity, not through SetData).
        internal void WriteUnchecked(float[] data, int frames, int offsetFrames) =>
            CopyWrapped(m_Data, m_Samples, m_Channels, offsetFrames, data, frames, toClip: true);

        // Whole frames only (2021.3 passes data.Length / channels); the offset wraps like the transfer does.
        static void CopyWrapped(float[] clip, int clipFrames, int channels, int offsetFrames, float[] data, int frames, bool toClip)
        {
            var start = ((offsetFrames % clipFrames) + clipFrames) % clipFrames;
            var done = 0;
            while (done < frames)
            {
                var run = Math.Min(frames - done, clipFrames - start);
                if (toClip) Array.Copy(data, done * channels, clip, start * channels, run * channels);
                else Array.Copy(clip, start * channels, data, done * channels, run * channels);
                done += run;
                start = 0;
            }
        }

        public static AudioClip Create(string name, int lengthSamples, int channels, int frequency, bool stream) =>
            Create(name, lengthSamples, channels, frequency, stream, null, null);

        public static AudioClip Create(string name, int lengthSamples, int channels, int frequency, bool stream, PCMReaderCallback pcmreadercallback) =>
            Create(name, lengthSamples, channels, frequency, stream, pcmreadercallback, null);

        public static AudioClip Create(string name, int lengthSamples, int channels, int frequency, bool stream,
            PCMReaderCallback pcmreadercallback, PCMSetPositionCallback pcmsetpositioncallback)
        {
            Engine.MainThreadOnly("Create");
            if (name == null) throw new NullReferenceException();
            if (lengthSamples <= 0) throw new ArgumentException("Length of created clip must be larger than 0");
            if (channels <= 0) throw new ArgumentException("Number of channels in created clip must be greater than 0");
            if (frequency <= 0) throw new ArgumentException("Frequency in created clip must be greater than 0");
            var clip = new AudioClip
            {
                m_Samples = lengthSamples, m_Channels = channels, m_Frequency = frequency, m_Stream = stream,
                m_Reader = pcmreadercallback, m_SetPosition = pcmsetpositioncallback,
            };
            clip.NameUnchecked = name;
            if (!stream)
            {
                clip.m_Data = new float[(long)lengthSamples * channels];
                if (pcmreadercallback != null) clip.FillFromReader();
            }
            return clip;
        }

        void FillFromReader()
        {
            m_SetPosition?.Invoke(0);
            for (var frame = 0; frame < m_Samples; frame += CreateChunkFrames)
            {
                var n = Math.Min(CreateChunkFrames, m_Samples - frame);
                var chunk = new float[n * m_Channels];
                m_Reader(chunk);
                Array.Copy(chunk, 0, m_Data, frame * m_Channels, chunk.Length);
            }
        }

        [Obsolete("The _3D argument of AudioClip is deprecated. Use the spatialBlend property of AudioSource instead to morph between 2D and 3D playback.")]
        public static AudioClip Create(string name, int lengthSamples, int channels, int frequency, bool _3D, bool stream) =>
            Create(name, lengthSamples, channels, frequency, stream);

        [Obsolete("The _3D argument of AudioClip is deprecated. Use the spatialBlend property of AudioSource instead to morph between 2D and 3D playback.")]
        public static AudioClip Create(string name, int lengthSamples, int channels, int frequency, bool _3D, bool stream, PCMReaderCallback pcmreadercallback) =>
            Create(name, lengthSamples, channels, frequency, stream, pcmreadercallback);

        [Obsolete("The _3D argument of AudioClip is deprecated. Use the spatialBlend property of AudioSource instead to morph between 2D and 3D playback.")]
        public static AudioClip Create(string name, int lengthSamples, int channels, int frequency, bool _3D, bool stream,
            PCMReaderCallback pcmreadercallback, PCMSetPositionCallback pcmsetpositioncallback) =>
            Create(name, lengthSamples, channels, frequency, stream, pcmreadercallback, pcmsetpositioncallback);

        public delegate void PCMReaderCallback(float[] data);

        public delegate void PCMSetPositionCallback(int position);
    }
}
