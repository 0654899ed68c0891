using System;
using System.Threading;
using Parley.Lipsync;
using Parley.Session.Audio;
using Parley.Unity.Voice;
using UnityEngine;

namespace Parley.Unity.Lipsync
{
    /// <summary>Called every frame with the mapped target weights (0..1, in the mapping's target order) and the jaw opening.</summary>
    public delegate void LipSyncWeightsHandler(VisemeMapping mapping, ReadOnlySpan<float> targets, float jawOpen);

    /// <summary>
    /// Moves a face with the agent's voice: the <see cref="AgentVoice"/>'s queued voice, read ahead of the played cursor
    /// and stamped with the time it will be heard (<see cref="PlayoutReadAhead"/>), feeds a <see cref="LipsyncAnalyser"/> on
    /// the audio thread (lock-free, 0 B per block), so each hop's weights are ready when its sound is heard at any output
    /// latency; every frame the viseme weights of the audio being heard now (<c>AudioSettings.dspTime</c>)
    /// go through a data-driven <see cref="VisemeMapping"/> to the SkinnedMeshRenderer's blend shapes, found by
    /// name (overridable by index), times the gain, on Unity's 0..100 scale. Bone rigs and VRM use
    /// <see cref="WeightsApplied"/> instead of (or besides) a mesh. An interruption (the voice flushed) rests the
    /// mouth when the cut is heard; the read-ahead audio past it never moves it. Weights are written in LateUpdate, after
    /// an Animator has posed the face.
    /// </summary>
    [DisallowMultipleComponent]
    [AddComponentMenu("Parley/Blend Shape Lip Sync")]
    [HelpURL(HelpLinks.BlendShapeLipSync)]
    public sealed class BlendShapeLipSync : MonoBehaviour, IPlayoutReadAheadListener
    {
        public enum Preset { Oculus, Arkit, Vrm, Rhubarb }

        /// <summary>A mapping target bound to a blend shape by index instead of by name.</summary>
        [Serializable]
        public struct IndexOverride
        {
            [Tooltip("Target name in the mapping (e.g. jawOpen, aa).")]
            public string target;
            [Tooltip("Blend shape index on the mesh; -1 leaves the target unbound.")]
            public int blendShapeIndex;
        }

        [SerializeField, Tooltip("The agent's voice; empty = the one on this GameObject.")]
        AgentVoice voice;
        [SerializeField, Tooltip("The face mesh; empty = none (use the WeightsApplied callback).")]
        SkinnedMeshRenderer skinnedMesh;
        [SerializeField, Tooltip("Shipped mapping used when no Mapping Asset is set: the rig's blend shape naming.")]
        Preset preset = Preset.Oculus;
        [SerializeField, Tooltip("A rig's own mapping (CSV); overrides the preset.")]
        VisemeMappingAsset mappingAsset;
        [SerializeField, Tooltip("Targets bound by blend shape index instead of by name.")]
        IndexOverride[] indexOverrides = new IndexOverride[0];
        [SerializeField, Range(0f, 3f), Tooltip("Multiplies every target before clamping to 0..1.")]
        float gain = 1f;
        [SerializeField, Range(0f, 200f), Tooltip("Time constant of a weight rising, ms.")]
        float attackMs = (float)LipsyncAnalyser.DefaultAttackMs;
        [SerializeField, Range(0f, 500f), Tooltip("Time constant of a weight falling, ms.")]
        float releaseMs = (float)LipsyncAnalyser.DefaultReleaseMs;
        [SerializeField, Min(0f), Tooltip("Blend shape weight of a fully driven target (Unity's default range is 0..100).")]
        float fullWeight = 100f;

        AgentVoice _voice;
        LipsyncAnalyser _analyser;
        VisemeMapping _mapping;
        int[] _shapeIndex = new int[0];
        float[] _targets = new float[0];
        readonly float[] _visemes = new float[Visemes.Count];
        int _heardRate;   // the rate of the voice's read-ahead (the provider's), set on the audio thread
        float _jaw;
        bool _dirty = true;

        /// <summary>Every frame, after the blend shapes were set: the mapped weights and jaw opening (bone rigs, VRM expressions).</summary>
        public event LipSyncWeightsHandler WeightsApplied;

        public AgentVoice Voice { get => voice; set { voice = value; Rebind(); } }
        public SkinnedMeshRenderer SkinnedMesh { get => skinnedMesh; set { skinnedMesh = value; _dirty = true; } }
        public Preset MappingPreset { get => preset; set { preset = value; _dirty = true; } }
        public VisemeMappingAsset MappingAsset { get => mappingAsset; set { mappingAsset = value; _dirty = true; } }
        public float Gain { get => gain; set => gain = Math.Max(0f, value); }
        public float FullWeight { get => fullWeight; set => fullWeight = Math.Max(0f, value); }
        public float AttackMs { get => attackMs; set { attackMs = value; _analyser = null; } }
        public float ReleaseMs { get => releaseMs; set { releaseMs = value; _analyser = null; } }

        /// <summary>Binds <paramref name="target"/> to blend shape <paramref name="blendShapeIndex"/> (or -1: unbound), overriding its name.</summary>
        public void OverrideIndex(string target, int blendShapeIndex)
        {
            var list = indexOverrides ?? new IndexOverride[0];
            for (var i = 0; i < list.Length; i++)
                if (list[i].target == target) { list[i].blendShapeIndex = blendShapeIndex; _dirty = true; return; }
            Array.Resize(ref list, list.Length + 1);
            list[list.Length - 1] = new IndexOverride { target = target, blendShapeIndex = blendShapeIndex };
            indexOverrides = list;
            _dirty = true;
        }

        /// <summary>The mapping in use (after the first frame, or <see cref="Refresh"/>).</summary>
        public VisemeMapping Mapping => _mapping;
        /// <summary>Blend shape index each mapping target drives (-1: the mesh has no such shape).</summary>
        public ReadOnlySpan<int> TargetBlendShapes => _shapeIndex;
        /// <summary>Viseme weights of the last frame (15, <see cref="Visemes"/> order).</summary>
        public ReadOnlySpan<float> VisemeWeights => _visemes;
        /// <summary>Jaw opening of the last frame (0..1).</summary>
        public float JawOpen => _jaw;
        /// <summary>The analyser fed by the voice (its delay and sample rate); null before the first frame.</summary>
        public LipsyncAnalyser Analyser => _analyser;

        /// <summary>Re-reads the mapping and finds the blend shapes again (after editing the mesh or the mapping).</summary>
        public void Refresh() => _dirty = true;

        void OnEnable() => Rebind();

        // Editor only: a value changed in the Inspector (or the script was loaded). New smoothing needs a new analyser
        // (built in the next LateUpdate; the audio thread writes into none meanwhile); a new preset, asset or index
        // override needs the mapping resolved again.
        void OnValidate()
        {
            Volatile.Write(ref _analyser, null);
            _dirty = true;
        }

        void OnDisable()
        {
            if (_voice != null) _voice.RemoveReadAheadListener(this);
            _voice = null;
            Volatile.Write(ref _analyser, null);
            _jaw = 0f;
            LipsyncAnalyser.Rest(_visemes);
        }

        void Rebind()
        {
            if (!isActiveAndEnabled) return;
            var next = voice != null ? voice : GetComponent<AgentVoice>();
            if (next == _voice) return;
            if (_voice != null) _voice.RemoveReadAheadListener(this);
            _voice = next;
            if (_voice != null) _voice.AddReadAheadListener(this);
        }

        void LateUpdate()
        {
            if (_dirty) Resolve();
            var analyser = _analyser;
            // The analyser runs at the rate of the audio it is handed (the provider's, as queued). An old analyser is
            // never disposed here: the audio thread may be inside it; its finalizer frees it once nothing refers to it.
            var rate = Volatile.Read(ref _heardRate);
            if (rate <= 0) rate = _voice != null && _voice.SampleRate > 0 ? _voice.SampleRate : AudioSettings.outputSampleRate;
            if (analyser == null || analyser.SampleRate != rate)
            {
                analyser = new LipsyncAnalyser(rate, null, Clamp(attackMs, 0, 1000), Clamp(releaseMs, 0, 1000));
                Volatile.Write(ref _analyser, analyser);
            }
            _jaw = analyser.Read(AudioSettings.dspTime, _visemes);
            if (_mapping == null) return;
            _mapping.Apply(_visemes, _targets);
            var g = gain;
            for (var t = 0; t < _targets.Length; t++)
            {
                var w = _targets[t] * g;
                _targets[t] = w < 0f ? 0f : w > 1f ? 1f : w;
            }
            var mesh = skinnedMesh;
            if (mesh != null)
                for (var t = 0; t < _targets.Length; t++)
                    if (_shapeIndex[t] >= 0) mesh.SetBlendShapeWeight(_shapeIndex[t], _targets[t] * fullWeight);
            WeightsApplied?.Invoke(_mapping, _targets, _jaw);
        }

        static double Clamp(float v, double lo, double hi) => float.IsNaN(v) ? lo : Math.Max(lo, Math.Min(hi, v));

        // Main thread, when something changed: the mapping (asset, else preset) and each target's blend shape.
        void Resolve()
        {
            _dirty = false;
            VisemeMapping mapping = null;
            if (mappingAsset != null)
            {
                try { mapping = mappingAsset.Mapping; }
                catch (FormatException e) { Debug.LogError("Parley lip sync: " + e.Message + " Using the " + preset + " preset."); }
            }
            if (mapping == null) mapping = VisemeMapping.Preset(preset.ToString());
            _mapping = mapping;
            var n = mapping.Targets.Count;
            if (_targets.Length != n) _targets = new float[n];
            if (_shapeIndex.Length != n) _shapeIndex = new int[n];
            var mesh = skinnedMesh != null ? skinnedMesh.sharedMesh : null;
            var count = mesh != null ? mesh.blendShapeCount : 0;
            var missing = 0;
            for (var t = 0; t < n; t++)
            {
                var index = mesh != null ? FindShape(mesh, mapping.Targets[t]) : -1;
                if (indexOverrides != null)
                    for (var o = 0; o < indexOverrides.Length; o++)
                        if (indexOverrides[o].target == mapping.Targets[t]) index = indexOverrides[o].blendShapeIndex;
                if (index >= count) index = -1;
                _shapeIndex[t] = index;
                if (index < 0) missing++;
            }
            if (mesh != null && missing == n)
                Debug.LogWarning("Parley lip sync: mesh '" + mesh.name + "' has none of the " + mapping.Name + " targets (" +
                                 string.Join(", ", mapping.Targets) + "); choose another preset, a mapping asset or index overrides.");
        }

        // By exact name, else by the name after an importer's prefix ("Head.jawOpen", "Face_jawOpen"), ignoring case.
        static int FindShape(Mesh mesh, string target)
        {
            var exact = mesh.GetBlendShapeIndex(target);
            if (exact >= 0) return exact;
            for (var i = 0; i < mesh.blendShapeCount; i++)
                if (string.Equals(mesh.GetBlendShapeName(i), target, StringComparison.OrdinalIgnoreCase)) return i;
            for (var i = 0; i < mesh.blendShapeCount; i++)
            {
                var name = mesh.GetBlendShapeName(i);
                if (name.Length <= target.Length || !name.EndsWith(target, StringComparison.OrdinalIgnoreCase)) continue;
                var sep = name[name.Length - target.Length - 1];
                if (sep == '.' || sep == '_' || sep == ' ') return i;
            }
            return -1;
        }

        // ───── IPlayoutReadAheadListener (audio thread) ─────

        void IPlayoutReadAheadListener.OnQueued(ReadOnlySpan<float> mono, int sampleRate, double playTime)
        {
            var analyser = Volatile.Read(ref _analyser);
            if (analyser == null || analyser.SampleRate != sampleRate)
            {
                Volatile.Write(ref _heardRate, sampleRate);   // the main thread builds an analyser at this rate
                return;
            }
            analyser.Write(mono, playTime);
        }

        // The read-ahead past the cut will never play: its frames are dropped, those before it stay until it is heard.
        void IPlayoutReadAheadListener.OnCut(double heardAt) => Volatile.Read(ref _analyser)?.Cut(heardAt);
    }
}
