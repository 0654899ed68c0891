// Stand-in for the public API of endel/NativeWebSocket (package com.endel.nativewebsocket), non-WebGL build,
// signatures as in endel/NativeWebSocket NativeWebSocket/Assets/WebSocket/WebSocket.cs (1.x, tag 1.1.6) and
// src/NativeWebSocket/WebSocket.cs + WebSocketTypes.cs (2.x, tag 2.0.4; NATIVEWEBSOCKET_2):
// namespace NativeWebSocket; delegates WebSocketOpenEventHandler(), WebSocketMessageEventHandler(byte[] data),
// WebSocketErrorEventHandler(string errorMsg), WebSocketCloseEventHandler(WebSocketCloseCode closeCode);
// class WebSocket(string url, List<string> subprotocols, Dictionary<string, string> headers = null) with
// Task Connect(), Task Send(byte[] bytes), Task SendText(string message), Task Close() (2.x: Task Close(
// WebSocketCloseCode code = WebSocketCloseCode.Normal, string reason = null)), WebSocketState State,
// void DispatchMessageQueue() (not in the WebGL class). Bodies throw: this only has to compile.
using System;
using System.Collections.Generic;
using System.Threading.Tasks;

namespace NativeWebSocket
{
    public delegate void WebSocketOpenEventHandler();
    public delegate void WebSocketMessageEventHandler(byte[] data);
    public delegate void WebSocketErrorEventHandler(string errorMsg);
    public delegate void WebSocketCloseEventHandler(WebSocketCloseCode closeCode);

    public enum WebSocketCloseCode
    {
        NotSet = 0, Normal = 1000, Away = 1001, ProtocolError = 1002, UnsupportedData = 1003, Undefined = 1004,
        NoStatus = 1005, Abnormal = 1006, InvalidData = 1007, PolicyViolation = 1008, TooBig = 1009,
        MandatoryExtension = 1010, ServerError = 1011, TlsHandshakeFailure = 1015,
    }

    public enum WebSocketState { Connecting, Open, Closing, Closed }

    public class WebSocket
    {
        public event WebSocketOpenEventHandler OnOpen;
        public event WebSocketMessageEventHandler OnMessage;
        public event WebSocketErrorEventHandler OnError;
        public event WebSocketCloseEventHandler OnClose;

        public WebSocket(string url, Dictionary<string, string> headers = null) => throw new NotSupportedException();
        public WebSocket(string url, string subprotocol, Dictionary<string, string> headers = null) => throw new NotSupportedException();
        public WebSocket(string url, List<string> subprotocols, Dictionary<string, string> headers = null) => throw new NotSupportedException();

        public WebSocketState State => throw new NotSupportedException();
        public Task Connect() => throw new NotSupportedException();
        public Task Send(byte[] bytes) => throw new NotSupportedException();
        public Task SendText(string message) => throw new NotSupportedException();
#if NATIVEWEBSOCKET_2 || (UNITY_WEBGL && !UNITY_EDITOR)
        public Task Close(WebSocketCloseCode code = WebSocketCloseCode.Normal, string reason = null) => throw new NotSupportedException();
#else
        public Task Close() => throw new NotSupportedException();
#endif
#if !UNITY_WEBGL || UNITY_EDITOR
        // The WebGL class (WebSocketWebGL.cs in 2.x, the UNITY_WEBGL branch of WebSocket.cs in 1.x) has no message queue.
        public void DispatchMessageQueue() => throw new NotSupportedException();
#endif
        public void CancelConnection() => throw new NotSupportedException();

        // Keeps the events "used" for the compiler; the real class raises them.
        internal void Raise() { OnOpen?.Invoke(); OnMessage?.Invoke(null); OnError?.Invoke(null); OnClose?.Invoke(WebSocketCloseCode.Normal); }
    }
}
