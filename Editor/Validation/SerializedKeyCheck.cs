using System.Collections.Generic;
using Parley.Editor.KeyScan;

namespace Parley.Editor.Validation
{
    /// <summary>Key material in serialized fields: what the build check would find in the saved asset, said while editing.</summary>
    public static class SerializedKeyCheck
    {
        public static List<ValidationIssue> Check(IEnumerable<KeyValuePair<string, string>> fields)
        {
            var issues = new List<ValidationIssue>();
            foreach (var field in fields)
            {
                if (string.IsNullOrEmpty(field.Value)) continue;
                foreach (var hit in KeyPatterns.Find(field.Value))
                    issues.Add(new ValidationIssue(IssueSeverity.Error, "key_in_field",
                        "'" + field.Key + "' holds what looks like a " + hit.Provider + " key (" + KeyPatterns.Mask(field.Value.Substring(hit.Index, hit.Length)) +
                        "). A serialized key ships in builds and the build check will fail: remove it and use Preferences → Parley (editor) or a token source (builds)."));
            }
            return issues;
        }
    }
}
