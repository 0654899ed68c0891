using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using NUnit.Framework;
using Parley.Editor.Inspectors;
using Parley.Servers.OpenAI;
using Parley.Session;
using Parley.Simulation;
using UnityEditor;

namespace Parley.Tests.Components
{
    /// <summary>
    /// The VoiceAgent inspector repainted every frame of a real conversation in the simulated player (emulator on
    /// loopback): its play-mode view follows the state, the levels and the transcript, and its console validation is
    /// logged once, not once per repaint.
    /// </summary>
    public class VoiceAgentEditorPlayModeTests
    {
        [Test]
        public void The_play_mode_view_follows_the_conversation_and_the_console_hears_each_problem_once()
        {
            var editorType = typeof(Parley.Editor.Keys.EditorKeyStore).Assembly.GetType("Parley.Editor.Inspectors.VoiceAgentEditor", true);
            const string said = "Can you sharpen my sword before sunset?";
            using (var scene = new AgentScene(AgentScene.FirstQuestion(), new OpenAIRealtimeEmulatorOptions { UserTranscripts = new[] { said } }))
            {
                var editor = UnityEditor.Editor.CreateEditor(scene.Agent, editorType);
                var liveField = editorType.GetField("_live", BindingFlags.Instance | BindingFlags.NonPublic);
                EditorApplication.isPlaying = true;
                SimulatedConsole.Clear();
                try
                {
                    var states = new HashSet<SessionState>();
                    float maxIn = AgentLiveView.FloorDbfs, maxOut = AgentLiveView.FloorDbfs;
                    var repaints = 0;
                    scene.Agent.StartOnEnable = true;
                    scene.Npc.SetActive(true);
                    Assert.That(scene.RunUntil(() =>
                    {
                        editor.OnInspectorGUI();
                        repaints++;
                        var live = (AgentLiveView)liveField.GetValue(editor);
                        states.Add(live.State);
                        maxIn = Math.Max(maxIn, live.InputDbfs);
                        maxOut = Math.Max(maxOut, live.OutputDbfs);
                        return scene.Of<TurnCompleted>().Count >= 1;
                    }, 30), Is.True);
                    scene.RunUntil(() => { editor.OnInspectorGUI(); return false; }, 0.5);

                    var view = (AgentLiveView)liveField.GetValue(editor);
                    Assert.That(states, Does.Contain(SessionState.Listening).And.Contain(SessionState.AgentSpeaking));
                    Assert.That(view.Lines.Select(l => l.Speaker + ": " + l.Text).ToArray(), Is.EqualTo(new[]
                    {
                        "Player: " + said, "Agent: " + OpenAIRealtimeEmulator.DefaultReplyTexts["npc-greeting"],
                    }));
                    Assert.That(view.Lines.All(l => l.Final));
                    // The microphone fixture is speech at a normal level; the reply is the emulator's clip.
                    Assert.That(maxIn, Is.GreaterThan(-40f), "the input meter moved with the player's speech");
                    Assert.That(maxOut, Is.GreaterThan(-40f), "the output meter moved with the reply");

                    // The agent's token source is a C# callback (no URL): the inspector warns, once, however many repaints.
                    var warnings = SimulatedConsole.Snapshot().Where(l => l.Contains("no token source") || l.Contains("No token source")).ToList();
                    Assert.That(repaints, Is.GreaterThan(100));
                    Assert.That(warnings.Count, Is.EqualTo(1), string.Join("\n", warnings));
                    Assert.That(warnings[0], Does.StartWith("Warning: Parley (NPC): "));
                    Assert.That(SimulatedConsole.Snapshot(), Has.None.Contains(scene.Key), "no key in the console");
                }
                finally { EditorApplication.isPlaying = false; }
            }
        }
    }
}
