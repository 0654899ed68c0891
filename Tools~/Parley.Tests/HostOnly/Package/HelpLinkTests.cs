using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using NUnit.Framework;
using Parley.Tests.Support;
using Parley.Unity;
using Parley.Unity.Agent;
using UnityEngine;

namespace Parley.Tests.Package
{
    /// <summary>
    /// Every public component and asset type of the Parley assembly has an inspector help link, and the link names a
    /// page of Documentation~ and, after '#', a heading of that page (its GitHub-style anchor), read from the files.
    /// </summary>
    public class HelpLinkTests
    {
        static readonly Type[] Documented = typeof(VoiceAgent).Assembly.GetTypes()
            .Where(t => t.IsPublic && !t.IsAbstract && (typeof(MonoBehaviour).IsAssignableFrom(t) || typeof(ScriptableObject).IsAssignableFrom(t)))
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .ToArray();

        static string[] Names() => Documented.Select(t => t.FullName).ToArray();

        /// <summary>GitHub's heading anchor: lower case, punctuation other than '-' and '_' dropped, spaces to '-'.</summary>
        static string Anchor(string heading)
        {
            var text = heading.Trim().ToLowerInvariant();
            text = Regex.Replace(text, @"[^\p{L}\p{Nd}\s_-]", "");
            return Regex.Replace(text, @"\s", "-");
        }

        [Test]
        public void The_assembly_has_components_to_check()
        {
            Assert.That(Names(), Does.Contain(typeof(VoiceAgent).FullName));
            Assert.That(Documented.Length, Is.GreaterThanOrEqualTo(9));
        }

        [TestCaseSource(nameof(Names))]
        public void Help_link_names_an_existing_page_and_heading(string typeName)
        {
            var type = Documented.Single(t => t.FullName == typeName);
            var attribute = (HelpURLAttribute)Attribute.GetCustomAttribute(type, typeof(HelpURLAttribute));
            Assert.That(attribute, Is.Not.Null, typeName + " has no [HelpURL]");
            var url = attribute.URL;
            Assert.That(url, Does.StartWith(HelpLinks.Base), "one base for every link");

            var rest = url.Substring(HelpLinks.Base.Length).Split('#');
            var page = Path.Combine(PackagePaths.Root, "Documentation~", rest[0] + ".md");
            Assert.That(File.Exists(page), Is.True, url + ": no page " + page);
            if (rest.Length == 1) return;

            var anchors = File.ReadAllLines(page)
                .Where(l => l.StartsWith("#", StringComparison.Ordinal))
                .Select(l => Anchor(l.TrimStart('#')))
                .ToArray();
            Assert.That(anchors, Does.Contain(rest[1]), url + ": no such heading in " + rest[0] + ".md");
        }
    }
}
