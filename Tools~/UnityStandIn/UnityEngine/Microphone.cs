// Stand-in for UnityEngine.Microphone (api-signatures.md §1; UnityCsReference Modules/Audio/Public/ScriptBindings/
// Audio.bindings.cs, identical in 2021.3-6000.0): the managed wrapper's checks in its order (device id first, then
// length, then frequency) and its silent returns for unknown names. Devices are the simulated player's
// (Parley.Simulation.SimulatedMicrophone). GetPosition is thread-safe (GetRecordPosition is IsThreadSafe);
// Start, End, IsRecording, GetDeviceCaps and devices are main-thread only.
using System;
using Parley.Simulation;

namespace UnityEngine
{
    public sealed class Microphone
    {
        public static AudioClip Start(string deviceName, bool loop, int lengthSec, int frequency)
        {
            Engine.MainThreadOnly("Start");
            var device = Engine.Microphones.Find(deviceName);
            if (device == null) throw new ArgumentException("Couldn't acquire device ID for device name " + deviceName);
            if (lengthSec <= 0) throw new ArgumentException("Length of recording must be greater than zero seconds (was: " + lengthSec + " seconds)");
            if (lengthSec > 60 * 60) throw new ArgumentException("Length of recording must be less than one hour (was: " + lengthSec + " seconds)");
            if (frequency <= 0) throw new ArgumentException("Frequency of recording must be greater than zero (was: " + frequency + " Hz)");
            if (!Engine.Permissions.MicrophoneGranted)
            {
                // Android without RECORD_AUDIO logs this (arcore-unity-sdk #53); the return value is unconfirmed and
                // iOS after a denial is unconfirmed too: both are modelled as "fails to start" (the docs: null).
                Debug.LogError("Starting Microphone failed. result=33");
                return null;
            }
            return device.StartRecording(loop, lengthSec, frequency);
        }

        public static void End(string deviceName)
        {
            Engine.MainThreadOnly("End");
            Engine.Microphones.Find(deviceName)?.EndRecording();
        }

        public static string[] devices { get { Engine.MainThreadOnly("get_devices"); return Engine.Microphones.Names(); } }

        public static bool IsRecording(string deviceName)
        {
            Engine.MainThreadOnly("IsRecording");
            var device = Engine.Microphones.Find(deviceName);
            return device != null && device.IsRecordingUnchecked;
        }

        public static int GetPosition(string deviceName)
        {
            var device = Engine.Microphones.Find(deviceName);
            return device == null ? 0 : device.PositionUnchecked;
        }

        public static void GetDeviceCaps(string deviceName, out int minFreq, out int maxFreq)
        {
            Engine.MainThreadOnly("GetDeviceCaps");
            minFreq = 0;
            maxFreq = 0;
            var device = Engine.Microphones.Find(deviceName);
            if (device == null) return;
            minFreq = device.MinFrequency;
            maxFreq = device.MaxFrequency;
        }
    }
}
