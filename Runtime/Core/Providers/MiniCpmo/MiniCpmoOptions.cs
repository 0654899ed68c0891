using System;

namespace Parley.Providers.MiniCpmo
{
    /// <summary>How to reach the MiniCPM-o 2.6 demo server (web_demos/minicpm-o_2.6/model_server.py, port 32550 by default).</summary>
    public sealed class MiniCpmoOptions
    {
        /// <summary>Server root, e.g. http://127.0.0.1:32550 (the /api/v1 paths are appended).</summary>
        public Uri BaseUri;
        /// <summary>The demo server is single-user and keys its one session by this header; it must stay constant for a call.</summary>
        public string Uid = Guid.NewGuid().ToString("N");
        /// <summary>Plain http:// to a non-loopback host (a LAN GPU box) is refused unless this is set.</summary>
        public bool AllowInsecure;

        /// <summary>System prompt ("assistant_prompt").</summary>
        public string AssistantPrompt;
        /// <summary>Prompt that goes with the reference voice ("voice_clone_prompt").</summary>
        public string VoiceClonePrompt;
        /// <summary>Reference voice as a WAV file (its bytes); null to use a built-in voice.</summary>
        public byte[] ReferenceVoiceWav;
        /// <summary>1 = the reference voice (default), 2 = built-in female, 3 = built-in male.</summary>
        public int UseAudioPrompt = 1;
        /// <summary>Server VAD threshold 0..1 (turn end when the voiced share falls below 1 - this).</summary>
        public float VadThreshold = 0.8f;

        /// <summary>Per request: init_options, one /stream chunk, /stop.</summary>
        public TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);
        /// <summary>Longest silence between two SSE events once a reply has started.</summary>
        public TimeSpan ReplyIdleTimeout = TimeSpan.FromSeconds(20);
        /// <summary>Audio chunks kept for resending while the server is unreachable (200 ms each); older ones are reported lost.</summary>
        public int MaxUnsentChunks = 50;
    }
}
