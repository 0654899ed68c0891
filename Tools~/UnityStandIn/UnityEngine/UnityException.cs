// Stand-in for UnityEngine.UnityException. Signature: UnityCsReference Runtime/Export/Scripting/StackTrace.cs
// (`public class UnityException : SystemException`, HResult 0x80004003, default message "A Unity Runtime error occurred!").
// Unity throws it when a main-thread-only member is used from another thread (audio-behaviour.md §2).
using System;
using System.Runtime.Serialization;

namespace UnityEngine
{
    [Serializable]
    public class UnityException : SystemException
    {
        const int Result = unchecked((int)0x80004003);

        public UnityException() : base("A Unity Runtime error occurred!") { HResult = Result; }

        public UnityException(string message) : base(message) { HResult = Result; }

        public UnityException(string message, Exception innerException) : base(message, innerException) { HResult = Result; }

        protected UnityException(SerializationInfo info, StreamingContext context) : base(info, context) { }
    }
}
