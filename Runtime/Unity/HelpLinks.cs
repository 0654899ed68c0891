namespace Parley.Unity
{
    /// <summary>
    /// The inspector's help ("?") links: pages and headings of the package's Documentation~ folder under one base, so
    /// a publisher points every link at its documentation site in one place. Until the package has a site the base is
    /// the reserved <c>.invalid</c> domain (RFC 2606), never someone else's. <c>HelpLinkTests</c> checks that each
    /// component's link names a page and a heading that exist.
    /// </summary>
    internal static class HelpLinks
    {
        public const string Base = "https://parley.invalid/docs/";
        public const string VoiceAgent = Base + "components#voiceagent";
        public const string MicrophoneCapture = Base + "components#microphonecapture";
        public const string MicrophoneHub = Base + "components#microphonehub";
        public const string AgentVoice = Base + "components#agentvoice";
        public const string ListenerEchoTap = Base + "components#echo-and-barge-in";
        public const string BlendShapeLipSync = Base + "components#blendshapelipsync";
        public const string VisemeMapping = Base + "lipsync#mappings-visememapping";
        public const string OpenAIRealtime = Base + "providers-openai";
        public const string GeminiLive = Base + "providers-gemini";
        public const string RivaCascade = Base + "providers-selfhosted#riva-cascade";
        public const string MiniCpmo = Base + "providers-selfhosted#minicpm-o-26";
    }
}
