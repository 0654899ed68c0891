using System.Linq;
using NUnit.Framework;
using UnityEngine;

namespace Parley.Tests.Simulation
{
    /// <summary>Object.FindObjectOfType, Object.DontDestroyOnLoad and a scene unload (SimulatedPlayer.UnloadScene).</summary>
    public class SceneTests : SimulationFixture
    {
        [SetUp]
        public void ClearLog() => PlayerLoopTests.Log.Clear();

        [Test]
        public void FindObjectOfType_returns_the_first_on_an_active_object_and_skips_inactive_and_destroyed_ones()
        {
            StartPlayer();
            var hidden = new GameObject("Hidden");
            hidden.SetActive(false);
            hidden.AddComponent<AudioListener>();
            var first = new GameObject("First").AddComponent<AudioListener>();
            var second = new GameObject("Second").AddComponent<AudioListener>();
            Assert.That(Object.FindObjectOfType<AudioListener>(), Is.SameAs(first), "scene order, inactive skipped");
            first.enabled = false;
            Assert.That(Object.FindObjectOfType<AudioListener>(), Is.SameAs(first), "a disabled component on an active object is still found");
            Object.DestroyImmediate(first.gameObject);
            Assert.That(Object.FindObjectOfType<AudioListener>(), Is.SameAs(second));
            Assert.That(Object.FindObjectOfType<GameObject>().name, Is.EqualTo("Second"), "GameObjects too");
            Object.DestroyImmediate(second.gameObject);
            Assert.That(Object.FindObjectOfType<AudioListener>(), Is.Null);
        }

        [Test]
        public void Unloading_the_scene_destroys_every_object_but_those_marked_DontDestroyOnLoad()
        {
            StartPlayer();
            var kept = new GameObject("Kept").AddComponent<PlayerLoopTests.Traced>();
            new GameObject("Gone").AddComponent<PlayerLoopTests.Traced>();
            var keptByComponent = new GameObject("AlsoKept").AddComponent<PlayerLoopTests.Traced>();
            Object.DontDestroyOnLoad(kept.gameObject);
            Object.DontDestroyOnLoad(keptByComponent);   // a component marks its GameObject
            Player.RunFrames(1);
            PlayerLoopTests.Log.Clear();

            Player.UnloadScene();
            Assert.That(PlayerLoopTests.Log, Is.EqualTo(new[] { "Gone.OnDisable", "Gone.OnDestroy" }));
            Assert.That(Player.Scene.Select(g => g.name), Is.EqualTo(new[] { "Kept", "AlsoKept" }));
            Assert.That(kept != null && keptByComponent != null, Is.True);
            PlayerLoopTests.Log.Clear();
            Player.RunFrames(1);
            Assert.That(PlayerLoopTests.Log, Is.EqualTo(new[] { "Kept.Update", "AlsoKept.Update", "Kept.LateUpdate", "AlsoKept.LateUpdate" }), "the survivors go on");
        }
    }
}
