using System.Collections.Generic;
using System.Linq;
using NUnit.Framework;
using Parley.Editor.Validation;
using Parley.Tests.Editor.KeyScan;

namespace Parley.Tests.Editor.Validation
{
    public class AgentChecksTests
    {
        static AgentFacts Good() => new AgentFacts
        {
            Provider = "openai", TokenUrl = "https://game.example/token", HasCaptureSource = true, NativeWebSocketInstalled = true,
        };

        static string[] Codes(List<ValidationIssue> issues) => issues.Select(i => i.Code).ToArray();

        [Test]
        public void A_well_set_up_standalone_agent_has_nothing_to_report()
        {
            Assert.That(AgentChecks.Check(Good(), new ProjectFacts()), Is.Empty);
        }

        [Test]
        public void Missing_audio_source_and_profile_are_reported()
        {
            var a = Good();
            a.HasAudioSource = false;
            a.HasProfile = false;
            var issues = AgentChecks.Check(a, new ProjectFacts());
            Assert.That(Codes(issues), Is.EquivalentTo(new[] { "missing_audio_source", "no_profile" }));
            Assert.That(issues.First(i => i.Code == "missing_audio_source").Severity, Is.EqualTo(IssueSeverity.Error));
        }

        [Test]
        public void A_key_in_any_serialized_field_is_an_error_naming_the_field_with_the_key_masked()
        {
            var keys = new GeneratedKeys(3);
            var a = Good();
            a.SerializedStrings.Add(new KeyValuePair<string, string>("openingPrompt", "Hello! " + keys["{{GOOGLE_KEY}}"]));
            a.SerializedStrings.Add(new KeyValuePair<string, string>("profile.instructions", "You are a smith. Authorization: Bearer " + keys["{{BEARER_TOKEN}}"]));
            a.SerializedStrings.Add(new KeyValuePair<string, string>("tokenSource.url", "https://game.example/token"));
            var issues = AgentChecks.Check(a, new ProjectFacts()).Where(i => i.Code == "key_in_field").ToList();
            Assert.That(issues.Count, Is.EqualTo(2));
            Assert.That(issues[0].Message, Does.Contain("'openingPrompt'").And.Contain("Google").And.Contain(GeneratedKeys.Masked(keys["{{GOOGLE_KEY}}"])));
            Assert.That(issues[1].Message, Does.Contain("'profile.instructions'").And.Contain("bearer"));
            foreach (var i in issues)
                foreach (var k in keys.ByPlaceholder.Values) Assert.That(i.Message, Does.Not.Contain(k));
        }

        [Test]
        public void No_token_source_is_a_warning_unless_the_server_needs_no_credential()
        {
            var a = Good();
            a.TokenUrl = "";
            var issue = AgentChecks.Check(a, new ProjectFacts { Target = PlayerTarget.Android, AndroidForceInternetPermission = true }).Single();
            Assert.That(issue.Code, Is.EqualTo("no_token_source"));
            Assert.That(issue.Message, Does.Contain("Android"));
            a.RequiresCredential = false;
            Assert.That(AgentChecks.Check(a, new ProjectFacts()), Is.Empty);
        }

        [Test]
        public void iOS_needs_a_microphone_usage_description()
        {
            var empty = AgentChecks.Check(Good(), new ProjectFacts { Target = PlayerTarget.iOS, IosMicrophoneUsageDescription = " " });
            Assert.That(Codes(empty), Is.EqualTo(new[] { "ios_microphone_usage" }));
            Assert.That(AgentChecks.Check(Good(), new ProjectFacts { Target = PlayerTarget.iOS, IosMicrophoneUsageDescription = "Talk to the characters." }), Is.Empty);
        }

        const string Manifest = @"<?xml version=""1.0"" encoding=""utf-8""?>
<manifest xmlns:android=""http://schemas.android.com/apk/res/android"" xmlns:tools=""http://schemas.android.com/tools"">
  <uses-permission android:name=""android.permission.INTERNET"" />
  {0}
  <application><activity android:name=""com.unity3d.player.UnityPlayerActivity"" android:exported=""true"" /></application>
</manifest>";

        [Test]
        public void Android_reports_a_manifest_that_removes_RECORD_AUDIO_and_internet_access_left_on_auto()
        {
            var removing = string.Format(Manifest, @"<uses-permission android:name=""android.permission.RECORD_AUDIO"" tools:node=""remove"" />");
            var keeping = string.Format(Manifest, @"<uses-permission android:name=""android.permission.RECORD_AUDIO"" />");
            Assert.That(Codes(AgentChecks.Check(Good(), new ProjectFacts { Target = PlayerTarget.Android, AndroidCustomManifest = removing, AndroidForceInternetPermission = true })),
                Is.EqualTo(new[] { "android_microphone_permission" }));
            Assert.That(AgentChecks.Check(Good(), new ProjectFacts { Target = PlayerTarget.Android, AndroidCustomManifest = keeping, AndroidForceInternetPermission = true }), Is.Empty);
            Assert.That(AgentChecks.Check(Good(), new ProjectFacts { Target = PlayerTarget.Android, AndroidForceInternetPermission = true }), Is.Empty, "no custom manifest: Unity adds RECORD_AUDIO itself");
            Assert.That(Codes(AgentChecks.Check(Good(), new ProjectFacts { Target = PlayerTarget.Android })), Is.EqualTo(new[] { "android_internet_permission" }));
            var broken = AgentChecks.Check(Good(), new ProjectFacts { Target = PlayerTarget.Android, AndroidCustomManifest = "<manifest", AndroidForceInternetPermission = true });
            Assert.That(Codes(broken), Is.EqualTo(new[] { "android_manifest_unreadable" }));
        }

        [Test]
        public void The_removal_must_be_on_RECORD_AUDIO_itself()
        {
            var other = string.Format(Manifest, @"<uses-permission android:name=""android.permission.CAMERA"" tools:node=""remove"" />");
            Assert.That(AndroidManifestCheck.RemovesMicrophone(other), Is.False);
            var all = string.Format(Manifest, @"<uses-permission android:name=""android.permission.RECORD_AUDIO"" tools:node=""removeAll"" />");
            Assert.That(AndroidManifestCheck.RemovesMicrophone(all), Is.True);
        }

        [Test]
        public void WebGL_limits_socket_capture_and_provider()
        {
            var a = Good();
            a.NativeWebSocketInstalled = false;
            a.HasCaptureSource = false;
            a.Provider = "minicpmo";
            a.RequiresCredential = false;
            var issues = AgentChecks.Check(a, new ProjectFacts { Target = PlayerTarget.WebGL });
            Assert.That(Codes(issues), Is.EquivalentTo(new[] { "webgl_websocket", "webgl_capture", "webgl_provider", "webgl_threads" }));
            Assert.That(issues.Single(i => i.Code == "webgl_threads").Severity, Is.EqualTo(IssueSeverity.Info));
            Assert.That(Codes(AgentChecks.Check(Good(), new ProjectFacts { Target = PlayerTarget.WebGL })), Is.EqualTo(new[] { "webgl_threads" }));
        }
    }
}
