using System;
using Parley.Lipsync;
using UnityEngine;

namespace Parley.Unity.Lipsync
{
    /// <summary>
    /// A rig's own viseme mapping as an asset: the CSV <see cref="VisemeMapping.Parse"/> reads (header <c>target</c>
    /// then viseme names; one row per blend shape or expression). Start from a preset with
    /// <see cref="VisemeMappingPresets"/> and edit the amounts in the inspector.
    /// </summary>
    [CreateAssetMenu(fileName = "VisemeMapping", menuName = "Parley/Viseme Mapping", order = 40)]
    [HelpURL(HelpLinks.VisemeMapping)]
    public sealed class VisemeMappingAsset : ScriptableObject
    {
        [SerializeField, TextArea(6, 30), Tooltip("target,sil,PP,FF,TH,DD,kk,CH,SS,nn,RR,aa,E,ih,oh,ou then one row per blend shape: how much each viseme drives it (0..1).")]
        string csv = VisemeMappingPresets.Oculus;

        VisemeMapping _parsed;
        string _parsedFrom;

        public string Csv
        {
            get => csv;
            set => csv = value;
        }

        /// <summary>The parsed mapping (cached until the CSV changes). A malformed CSV is a <see cref="FormatException"/> naming the line.</summary>
        public VisemeMapping Mapping
        {
            get
            {
                if (_parsed == null || !ReferenceEquals(_parsedFrom, csv))
                {
                    _parsed = VisemeMapping.Parse(name, csv);
                    _parsedFrom = csv;
                }
                return _parsed;
            }
        }
    }
}
