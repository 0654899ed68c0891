// Stand-ins for UnityEngine.YieldInstruction (UnityCsReference Runtime/Export/Scripting/YieldOperation.cs) and
// UnityEngine.AsyncOperation (Runtime/Export/Scripting/AsyncOperation.bindings.cs, AsyncOperation.cs): `completed`
// runs at once for a handler added after the operation is done, otherwise once when it completes.
using System;
using System.Runtime.InteropServices;

namespace UnityEngine
{
    [StructLayout(LayoutKind.Sequential)]
    public class YieldInstruction { }

    public partial class AsyncOperation : YieldInstruction
    {
        bool m_IsDone;
        Action<AsyncOperation> m_CompleteCallback;

        public AsyncOperation() { }

        public bool isDone => m_IsDone;
        public float progress => m_IsDone ? 1f : 0f;
        public int priority { get; set; }
        public bool allowSceneActivation { get; set; } = true;

        public event Action<AsyncOperation> completed
        {
            add
            {
                if (m_IsDone) value(this);
                else m_CompleteCallback += value;
            }
            remove { m_CompleteCallback -= value; }
        }

        internal void Complete()
        {
            m_IsDone = true;
            var callback = m_CompleteCallback;
            m_CompleteCallback = null;
            callback?.Invoke(this);
        }
    }
}
