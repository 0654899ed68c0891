namespace Parley.Editor.Validation
{
    public enum IssueSeverity { Info, Warning, Error }

    /// <summary>One thing an inspector, the console or the build check reports. Never contains a key (only masked forms).</summary>
    public sealed class ValidationIssue
    {
        public readonly IssueSeverity Severity;
        /// <summary>Stable identifier (tests, filtering): missing_audio_source, key_in_field, no_token_source, ...</summary>
        public readonly string Code;
        public readonly string Message;

        public ValidationIssue(IssueSeverity severity, string code, string message) { Severity = severity; Code = code; Message = message; }

        public override string ToString() => Severity + " " + Code + ": " + Message;
    }
}
