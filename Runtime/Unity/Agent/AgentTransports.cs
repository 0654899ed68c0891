using System;
using System.Collections.Generic;
using Parley.Transport;
#if PARLEY_NATIVEWEBSOCKET
using Parley.Unity.Transport;
#endif

namespace Parley.Unity.Agent
{
    /// <summary>
    /// The agent's sockets: the core's default (null factory) or, with NativeWebSocket installed
    /// (PARLEY_NATIVEWEBSOCKET) and asked for — always on WebGL — <see cref="NativeWebSocketTransport"/>s, which
    /// outside WebGL deliver messages only when pumped: the agent calls <see cref="Pump"/> every frame.
    /// </summary>
    sealed class AgentTransports
    {
#if PARLEY_NATIVEWEBSOCKET
        readonly List<NativeWebSocketTransport> _live = new List<NativeWebSocketTransport>();

        public bool Available => true;

        /// <summary>Per-connection factory; called on the session's loop.</summary>
        public Func<IWebSocketTransport> Factory(bool native) => native ? (Func<IWebSocketTransport>)Create : null;

        IWebSocketTransport Create()
        {
            var t = new NativeWebSocketTransport();
            lock (_live) _live.Add(t);
            return t;
        }

        public void Pump()
        {
            lock (_live)
                for (var i = 0; i < _live.Count; i++) _live[i].Pump();
        }

        /// <summary>The conversation ended: its sockets were disposed with their providers.</summary>
        public void Clear() { lock (_live) _live.Clear(); }
#else
        public bool Available => false;
        public Func<IWebSocketTransport> Factory(bool native) => null;
        public void Pump() { }
        public void Clear() { }
#endif
    }
}
