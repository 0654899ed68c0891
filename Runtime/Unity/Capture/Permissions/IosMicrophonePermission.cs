#if UNITY_IOS
using UnityEngine;

namespace Parley.Unity.Capture
{
    /// <summary>
    /// iOS's microphone authorization through <c>Application.RequestUserAuthorization(UserAuthorization.Microphone)</c>
    /// and <c>Application.HasUserAuthorization</c> (api-signatures.md §11; UnityCsReference
    /// Runtime/Export/Application/Application.bindings.cs). The request is an <c>AsyncOperation</c> that completes
    /// when the player answered; the answer is then read from <c>HasUserAuthorization</c>.
    /// </summary>
    public sealed class IosMicrophonePermission : IMicrophonePermission
    {
        AsyncOperation _request;

        public MicrophonePermissionState State
        {
            get
            {
                if (Application.HasUserAuthorization(UserAuthorization.Microphone)) return MicrophonePermissionState.Granted;
                if (_request == null) return MicrophonePermissionState.NotAsked;
                return _request.isDone ? MicrophonePermissionState.Denied : MicrophonePermissionState.Asking;
            }
        }

        public void Request()
        {
            if (_request != null && !_request.isDone) return;
            _request = Application.RequestUserAuthorization(UserAuthorization.Microphone);
        }
    }
}
#endif
