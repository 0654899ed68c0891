using System;
using System.Threading;
using System.Threading.Tasks;
using Parley.Providers.Auth;
using Parley.Unity.Keys;
using Parley.Unity.Profiles;
using UnityEditor;
using UnityEngine;

namespace Parley.Editor.Inspectors
{
    /// <summary>The Test connection button and its result, shared by the agent and profile inspectors (the measuring is <see cref="ConnectionTest"/>).</summary>
    sealed class ConnectionTestPanel
    {
        static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
        Task<ConnectionTestResult> _running;
        CancellationTokenSource _cancel;
        string _shown;
        MessageType _type;

        public bool Running => _running != null && !_running.IsCompleted;

        public void Draw(VoiceProfile profile, TokenSource tokens, string prompt)
        {
            if (_running != null && _running.IsCompleted) Finish();
            using (new EditorGUI.DisabledScope(profile == null || Running))
                if (GUILayout.Button(Running ? "Testing connection…" : "Test connection")) Start(profile, tokens, prompt);
            if (_shown != null) EditorGUILayout.HelpBox(_shown, _type);
        }

        void Start(VoiceProfile profile, TokenSource tokens, string prompt)
        {
            ICredentialSource credentials;
            try { credentials = AgentCredentials.Resolve(profile, tokens, isEditor: true); }
            catch (CredentialUnavailableException e) { Show(e.Message, MessageType.Error); return; }
            catch (ArgumentException e) { Show(e.Message, MessageType.Error); return; }
            _cancel?.Dispose();
            _cancel = new CancellationTokenSource();
            var config = profile.ToSessionConfig();
            _running = ConnectionTest.RunAsync(() => profile.CreateProvider(credentials, null), config, prompt, Timeout, _cancel.Token);
            Show("Connecting to " + profile.ProviderName + "…", MessageType.Info);
        }

        void Finish()
        {
            var t = _running;
            _running = null;
            if (t.Status == TaskStatus.RanToCompletion) Show(t.Result.Summary(), t.Result.Succeeded ? MessageType.Info : MessageType.Error);
            else Show("Test connection stopped: " + (t.Exception?.GetBaseException().Message ?? "cancelled"), MessageType.Warning);
        }

        void Show(string text, MessageType type) { _shown = text; _type = type; }

        /// <summary>The inspector went away: a test still running is cancelled (its socket closed).</summary>
        public void Cancel() => _cancel?.Cancel();
    }
}
