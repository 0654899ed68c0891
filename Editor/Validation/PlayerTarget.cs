namespace Parley.Editor.Validation
{
    /// <summary>The build targets whose rules differ for a voice agent (the shells map Unity's BuildTarget onto these).</summary>
    public enum PlayerTarget { Standalone, iOS, Android, WebGL, Other }
}
