using System;

namespace Parley.Session.Tools
{
    /// <summary>
    /// Marks a method the model may call. Register the object with <see cref="ToolRegistry.RegisterMethods"/>;
    /// its parameters become the JSON-Schema (see <see cref="ToolParameterAttribute"/>). Invoked by reflection
    /// (no code generation, so IL2CPP builds work; keep the method from being stripped with [Preserve] or link.xml).
    /// Not sealed: discovery finds subclasses too (the Unity layer's <c>[VoiceTool]</c> is one).
    /// </summary>
    [AttributeUsage(AttributeTargets.Method, Inherited = false)]
    public class ToolAttribute : Attribute
    {
        public readonly string Description;
        /// <summary>Name the model sees; the method name in snake_case when null.</summary>
        public string Name;
        /// <summary>Timeout in ms; 0 = the registry default.</summary>
        public int TimeoutMs;
        /// <summary>Ask <see cref="ToolRegistry.Approval"/> before running.</summary>
        public bool RequiresApproval;

        public ToolAttribute(string description) { Description = description; }
    }

    /// <summary>Describes a tool parameter to the model. Parameters with a default value are optional.</summary>
    [AttributeUsage(AttributeTargets.Parameter, Inherited = false)]
    public sealed class ToolParameterAttribute : Attribute
    {
        public readonly string Description;
        public ToolParameterAttribute(string description) { Description = description; }
    }
}
