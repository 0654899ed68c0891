using System;
using Parley.Session.Tools;

namespace Parley.Unity.Agent
{
    /// <summary>
    /// Marks a method of a component in <see cref="VoiceAgent.ToolTargets"/> as a tool the model may call:
    /// <c>[VoiceTool("Hand the player an item.", Name = "give_item")]</c>. The same attribute as the core's
    /// <see cref="ToolAttribute"/> (which it extends; discovery treats both alike): its parameters become the JSON-Schema
    /// (describe them with <see cref="ToolParameterAttribute"/>), <see cref="ToolAttribute.Name"/>,
    /// <see cref="ToolAttribute.TimeoutMs"/> and <see cref="ToolAttribute.RequiresApproval"/> as there. It runs on the
    /// main thread. Invoked by reflection: keep the method from being stripped (link.xml, or [Preserve]).
    /// </summary>
    [AttributeUsage(AttributeTargets.Method, Inherited = false)]
    public sealed class VoiceToolAttribute : ToolAttribute
    {
        public VoiceToolAttribute(string description) : base(description) { }
    }
}
