using System;
using System.Collections.Generic;
using System.Linq;
using Parley.Editor.Keys;
using Parley.Editor.Validation;
using Parley.Unity.Agent;
using Parley.Unity.Capture;
using Parley.Unity.Profiles;
using Parley.Unity.Voice;
using UnityEditor;
using UnityEngine;

namespace Parley.Editor.Inspectors
{
    /// <summary>
    /// The VoiceAgent inspector: the serialized fields (every write through SerializedProperty, so Undo and
    /// multi-object editing work), the key source and its status, validation (also logged to the console when it
    /// changes), Test connection, and in Play mode the live state, levels and transcript. What to show and warn about
    /// is decided by engine-free classes (<see cref="KeySourceStatus"/>, <see cref="AgentChecks"/>, <see cref="AgentLiveView"/>).
    /// </summary>
    [CustomEditor(typeof(VoiceAgent))]
    [CanEditMultipleObjects]
    sealed class VoiceAgentEditor : UnityEditor.Editor
    {
        readonly ConnectionTestPanel _test = new ConnectionTestPanel();
        AgentLiveView _live;
        VoiceAgent _watched;
        LevelSink _sink;
        AgentVoice _voice;
        readonly PlayedLevelMeter _meter = new PlayedLevelMeter();
        string _logged;

        public override void OnInspectorGUI()
        {
            serializedObject.Update();
            var it = serializedObject.GetIterator();
            for (var enter = true; it.NextVisible(enter); enter = false)
                if (it.propertyPath != "m_Script") EditorGUILayout.PropertyField(it, true);
            serializedObject.ApplyModifiedProperties();

            var agent = (VoiceAgent)target;
            var profile = serializedObject.FindProperty("profile");
            var tokenUrl = serializedObject.FindProperty("tokenSource.url");
            EditorGUILayout.Space();
            EditorGUILayout.LabelField("Key source");
            if (profile.hasMultipleDifferentValues || tokenUrl.hasMultipleDifferentValues)
                EditorGUILayout.HelpBox("The selected agents differ in profile or token source: select one to see its key source.", MessageType.None);
            else if (profile.objectReferenceValue is VoiceProfile p)
            {
                var status = KeySourceStatus.Describe(p.ProviderName, p.RequiresCredential, p.KeyEnvironmentVariable, tokenUrl.stringValue,
                    v => !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(v)), EditorKeyStore.Has);
                EditorGUILayout.HelpBox(status.Summary + "\n" + status.BuildNote, status.WorksInEditor ? MessageType.Info : MessageType.Warning);
                if (!serializedObject.isEditingMultipleObjects) _test.Draw(p, agent.Tokens, agent.OpeningPrompt);
            }

            DrawIssues(agent);
            if (EditorApplication.isPlaying && !serializedObject.isEditingMultipleObjects) DrawLive(agent);
        }

        void DrawIssues(VoiceAgent agent)
        {
            var issues = AgentChecks.Check(Facts(agent), ProjectFactsReader.Read(EditorUserBuildSettings.activeBuildTarget));
            foreach (var issue in issues)
                EditorGUILayout.HelpBox(issue.Message, issue.Severity == IssueSeverity.Error ? MessageType.Error : issue.Severity == IssueSeverity.Warning ? MessageType.Warning : MessageType.Info);
            // The console hears about a problem once, when the set of problems changes (not on every repaint).
            var key = string.Join("\n", issues.Where(i => i.Severity != IssueSeverity.Info).Select(i => i.Code + i.Message));
            if (key == _logged) return;
            _logged = key;
            foreach (var issue in issues)
                if (issue.Severity != IssueSeverity.Info) Debug.LogWarning("Parley (" + agent.name + "): " + issue.Message);
        }

        AgentFacts Facts(VoiceAgent agent)
        {
            var profile = serializedObject.FindProperty("profile").objectReferenceValue as VoiceProfile;
            var facts = new AgentFacts
            {
                HasAudioSource = agent.GetComponent<AudioSource>() != null,
                HasProfile = profile != null,
                Provider = profile != null ? profile.ProviderName : null,
                RequiresCredential = profile == null || profile.RequiresCredential,
                TokenUrl = serializedObject.FindProperty("tokenSource.url").stringValue,
                HasCaptureSource = serializedObject.FindProperty("captureSource").objectReferenceValue != null || agent.GetComponent<ICaptureSource>() != null,
                UseNativeWebSocket = serializedObject.FindProperty("useNativeWebSocket").boolValue,
                NativeWebSocketInstalled = NativeWebSocketInstalled(),
            };
            SerializedStrings.Collect(serializedObject, string.Empty, facts.SerializedStrings);
            if (profile != null)
                using (var so = new SerializedObject(profile)) SerializedStrings.Collect(so, "profile.", facts.SerializedStrings);
            return facts;
        }

        static bool? s_NativeWebSocket;

        /// <summary>com.endel.nativewebsocket's assembly is loaded (the runtime's PARLEY_NATIVEWEBSOCKET define comes from the same package).</summary>
        static bool NativeWebSocketInstalled() =>
            s_NativeWebSocket ?? (s_NativeWebSocket = AppDomain.CurrentDomain.GetAssemblies().Any(a => a.GetType("NativeWebSocket.WebSocket", false) != null)).Value;

        void DrawLive(VoiceAgent agent)
        {
            if (_watched != agent) Watch(agent);
            if (_sink.Source != agent.Capture)
            {
                // The capture source appears when a conversation starts (and may be replaced): follow it.
                _sink.Source?.RemoveSink(_sink);
                _sink.Source = agent.Capture;
                _sink.Source?.AddSink(_sink);
            }
            var now = Time.realtimeSinceStartupAsDouble;
            _sink.Drain(_live, now);
            _live.OnOutputLevel(_meter.Take(), now);
            _live.OnState(agent.State);
            EditorGUILayout.Space();
            EditorGUILayout.LabelField("State", _live.State.ToString());
            EditorGUILayout.LabelField("Input", AgentLiveView.Bar(_live.InputDbfs));
            EditorGUILayout.LabelField("Output", AgentLiveView.Bar(_live.OutputDbfs));
            foreach (var line in _live.Lines)
                EditorGUILayout.LabelField(line.Speaker, line.Final ? line.Text : line.Text + " …");
        }

        void Watch(VoiceAgent agent)
        {
            Unwatch();
            _watched = agent;
            _live = new AgentLiveView();
            _sink = new LevelSink();
            agent.UserTranscript += _live.OnUserTranscript;
            agent.AgentTranscript += _live.OnAgentTranscript;
            _voice = agent.GetComponent<AgentVoice>();
            if (_voice != null) _voice.AddPlayedListener(_meter);
        }

        void Unwatch()
        {
            if (_watched != null && _live != null)
            {
                _watched.UserTranscript -= _live.OnUserTranscript;
                _watched.AgentTranscript -= _live.OnAgentTranscript;
                _sink?.Source?.RemoveSink(_sink);
            }
            if (_voice != null) _voice.RemovePlayedListener(_meter);
            _voice = null;
            _watched = null;
        }

        public override bool RequiresConstantRepaint() => EditorApplication.isPlaying || _test.Running;

        void OnDisable()
        {
            Unwatch();
            _test.Cancel();
        }

        /// <summary>Keeps the loudest capture block since the last repaint (the capture source calls it on the main thread).</summary>
        sealed class LevelSink : ICaptureSink
        {
            public ICaptureSource Source;
            float[] _block = new float[0];
            int _length;

            public void OnCaptured(ReadOnlySpan<float> interleaved, Parley.Audio.AudioFormat format)
            {
                if (_block.Length < interleaved.Length) _block = new float[interleaved.Length];
                if (Parley.Audio.AudioLevel.Rms(interleaved) < Parley.Audio.AudioLevel.Rms(new ReadOnlySpan<float>(_block, 0, _length))) return;
                interleaved.CopyTo(_block);
                _length = interleaved.Length;
            }

            public void Drain(AgentLiveView view, double now)
            {
                view.OnInput(new ReadOnlySpan<float>(_block, 0, _length), now);
                _length = 0;
            }
        }
    }
}
