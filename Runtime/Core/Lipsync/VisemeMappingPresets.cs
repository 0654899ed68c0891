namespace Parley.Lipsync
{
    /// <summary>
    /// The shipped mappings, as the CSV a rig would write (<see cref="VisemeMapping.Parse"/>). Amounts are a design:
    /// ARKit after Apple's ARFaceAnchor.BlendShapeLocation descriptions, VRM 1.0 after its five vowel expressions,
    /// Rhubarb after its mouth-shape guide (A closed P/B/M, B clenched consonants, C open E, D wide A, E rounded O/ER,
    /// F puckered U/W, G F/V, H L, X rest).
    /// </summary>
    public static class VisemeMappingPresets
    {
        public static readonly string[] Names = { "oculus", "arkit", "vrm", "rhubarb" };

        public const string Oculus =
            "target,sil,PP,FF,TH,DD,kk,CH,SS,nn,RR,aa,E,ih,oh,ou\n" +
            "sil,1,0,0,0,0,0,0,0,0,0,0,0,0,0,0\n" +
            "PP,0,1,0,0,0,0,0,0,0,0,0,0,0,0,0\n" +
            "FF,0,0,1,0,0,0,0,0,0,0,0,0,0,0,0\n" +
            "TH,0,0,0,1,0,0,0,0,0,0,0,0,0,0,0\n" +
            "DD,0,0,0,0,1,0,0,0,0,0,0,0,0,0,0\n" +
            "kk,0,0,0,0,0,1,0,0,0,0,0,0,0,0,0\n" +
            "CH,0,0,0,0,0,0,1,0,0,0,0,0,0,0,0\n" +
            "SS,0,0,0,0,0,0,0,1,0,0,0,0,0,0,0\n" +
            "nn,0,0,0,0,0,0,0,0,1,0,0,0,0,0,0\n" +
            "RR,0,0,0,0,0,0,0,0,0,1,0,0,0,0,0\n" +
            "aa,0,0,0,0,0,0,0,0,0,0,1,0,0,0,0\n" +
            "E,0,0,0,0,0,0,0,0,0,0,0,1,0,0,0\n" +
            "ih,0,0,0,0,0,0,0,0,0,0,0,0,1,0,0\n" +
            "oh,0,0,0,0,0,0,0,0,0,0,0,0,0,1,0\n" +
            "ou,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1\n";

        public const string Arkit =
            "target,sil,PP,FF,TH,DD,kk,CH,SS,nn,RR,aa,E,ih,oh,ou\n" +
            "jawOpen,0,0,0.1,0.15,0.2,0.25,0.15,0.1,0.15,0.2,0.7,0.4,0.25,0.5,0.2\n" +
            "mouthClose,0,0.6,0,0,0,0,0,0,0,0,0,0,0,0,0\n" +
            "mouthPressLeft,0,0.4,0,0,0,0,0,0,0,0,0,0,0,0,0\n" +
            "mouthPressRight,0,0.4,0,0,0,0,0,0,0,0,0,0,0,0,0\n" +
            "mouthRollLower,0,0.2,0.6,0,0,0,0,0,0,0,0,0,0,0,0\n" +
            "mouthRollUpper,0,0.2,0,0,0,0,0,0,0,0,0,0,0,0,0\n" +
            "mouthUpperUpLeft,0,0,0.3,0.1,0,0,0.2,0.1,0,0,0,0.1,0,0,0\n" +
            "mouthUpperUpRight,0,0,0.3,0.1,0,0,0.2,0.1,0,0,0,0.1,0,0,0\n" +
            "mouthLowerDownLeft,0,0,0,0.2,0.1,0,0.3,0.2,0,0,0.3,0.3,0.1,0,0\n" +
            "mouthLowerDownRight,0,0,0,0.2,0.1,0,0.3,0.2,0,0,0.3,0.3,0.1,0,0\n" +
            "mouthFunnel,0,0,0,0,0,0,0.5,0,0,0.3,0,0,0,0.6,0.4\n" +
            "mouthPucker,0,0,0,0,0,0,0.2,0,0,0.3,0,0,0,0.3,0.8\n" +
            "mouthStretchLeft,0,0,0,0,0.1,0.1,0,0.3,0.1,0,0,0.3,0.4,0,0\n" +
            "mouthStretchRight,0,0,0,0,0.1,0.1,0,0.3,0.1,0,0,0.3,0.4,0,0\n" +
            "mouthSmileLeft,0,0,0,0,0,0,0,0.2,0,0,0,0.2,0.3,0,0\n" +
            "mouthSmileRight,0,0,0,0,0,0,0,0.2,0,0,0,0.2,0.3,0,0\n" +
            "tongueOut,0,0,0,0.4,0,0,0,0,0,0,0,0,0,0,0\n";

        public const string Vrm =
            "target,sil,PP,FF,TH,DD,kk,CH,SS,nn,RR,aa,E,ih,oh,ou\n" +
            "aa,0,0,0.1,0.2,0.3,0.3,0,0,0.2,0.2,1,0.2,0,0.2,0\n" +
            "ih,0,0,0,0,0.2,0,0.2,0.5,0,0,0,0,1,0,0\n" +
            "ou,0,0,0,0,0,0,0.2,0,0,0.3,0,0,0,0.2,1\n" +
            "ee,0,0,0,0,0,0,0.3,0.3,0,0,0,1,0.2,0,0\n" +
            "oh,0,0,0,0,0,0,0,0,0,0.2,0.1,0,0,1,0.2\n";

        public const string Rhubarb =
            "target,sil,PP,FF,TH,DD,kk,CH,SS,nn,RR,aa,E,ih,oh,ou\n" +
            "A,0,1,0,0,0,0,0,0,0,0,0,0,0,0,0\n" +
            "B,0,0,0,0.7,1,1,0.6,1,0.5,0,0,0,0.6,0,0\n" +
            "C,0,0,0,0,0,0,0.4,0,0,0,0,1,0.4,0,0\n" +
            "D,0,0,0,0,0,0,0,0,0,0,1,0,0,0,0\n" +
            "E,0,0,0,0,0,0,0,0,0,0.7,0,0,0,1,0\n" +
            "F,0,0,0,0,0,0,0,0,0,0.3,0,0,0,0,1\n" +
            "G,0,0,1,0,0,0,0,0,0,0,0,0,0,0,0\n" +
            "H,0,0,0,0.3,0,0,0,0,0.6,0,0,0,0,0,0\n" +
            "X,1,0,0,0,0,0,0,0,0,0,0,0,0,0,0\n";

        /// <summary>The CSV of a preset (case-insensitive name), or null.</summary>
        public static string Csv(string name)
        {
            switch (name == null ? null : name.ToLowerInvariant())
            {
                case "oculus": return Oculus;
                case "arkit": return Arkit;
                case "vrm": return Vrm;
                case "rhubarb": return Rhubarb;
                default: return null;
            }
        }
    }
}
