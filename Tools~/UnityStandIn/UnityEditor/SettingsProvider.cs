// Stand-ins for UnityEditor.SettingsScope and SettingsProvider (UnityCsReference Editor/Mono/Settings/SettingsProvider.cs)
// and SettingsProviderAttribute (Editor/Mono/Settings/SettingsProviderAttribute.cs). Only the members Parley uses.
using System;
using System.Collections.Generic;

namespace UnityEditor
{
    public enum SettingsScope
    {
        User,
        Project
    }

    public class SettingsProvider
    {
        HashSet<string> m_Keywords;
        string m_Label;
        readonly string m_Name;

        public SettingsProvider(string path, SettingsScope scopes, IEnumerable<string> keywords = null)
        {
            settingsPath = path.Replace("\n", " ").Replace("\\", "/");
            var nameIndex = settingsPath.LastIndexOf("/", StringComparison.Ordinal);
            m_Name = nameIndex != -1 ? settingsPath.Substring(nameIndex + 1) : settingsPath;
            scope = scopes;
            m_Keywords = keywords == null ? new HashSet<string>() : new HashSet<string>(keywords);
        }

        public string label { get => string.IsNullOrEmpty(m_Label) ? m_Name : m_Label; set => m_Label = value; }
        public string settingsPath { get; }
        public SettingsScope scope { get; }
        public IEnumerable<string> keywords { get => m_Keywords; set => m_Keywords = new HashSet<string>(value); }
        public Action<string> guiHandler { get; set; }

        public virtual void OnGUI(string searchContext) => guiHandler?.Invoke(searchContext);
    }

    [AttributeUsage(AttributeTargets.Method)]
    public sealed class SettingsProviderAttribute : Attribute { }
}
