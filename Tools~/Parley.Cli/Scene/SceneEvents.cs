using System;
using System.Collections.Generic;
using System.Linq;
using Newtonsoft.Json.Linq;
using Parley.Cli.Talk;
using Parley.Providers;
using Parley.Session;
using Parley.Unity.Capture;

namespace Parley.Cli.Scene
{
    /// <summary>
    /// `scene --events`: the session's events as `talk` writes them (same names and fields), plus the microphone's:
    /// device.started, device.lost {reason}, device.restored, device.overrun {frames, overruns}, device.rate
    /// {measured_hz, within_1_percent}. t_ms is the session's clock (device events read it when they happen); audio_ms the
    /// player's virtual time. Events are written once per frame, in the order they happened. --context-at's context.added
    /// {text, delivery} is written on the frame the agent reports the delivery, stamped (as talk stamps it) with both
    /// clocks as they read when the game called AddContext, so its times do not depend on how long the send took.
    /// </summary>
    sealed class SceneEvents
    {
        readonly SimulatedScene _scene;
        readonly EventLog _log;
        // audio: the event's own player time (a context note's call), or NaN for the frame's.
        readonly List<(double t, string name, JObject fields, SessionEvent e, double audio)> _frame = new List<(double, string, JObject, SessionEvent, double)>();
        readonly List<(string text, double t, double audio)> _contextGiven = new List<(string, double, double)>();
        readonly List<SessionErrorEvent> _agentErrors = new List<SessionErrorEvent>();
        readonly List<string> _names = new List<string>();
        bool _wasLost;
        int _overruns;
        double _lastT;

        public SceneEvents(SimulatedScene scene, EventLog log)
        {
            _scene = scene;
            _log = log;
            scene.Agent.SessionEventRaised += OnSessionEvent;
            scene.Agent.Error += e => _agentErrors.Add(e);
            // talk's context.added (a failed note is the agent's add_context error instead).
            scene.GivingContext += text => _contextGiven.Add((text, Now(), scene.Player.Now * 1000));
            scene.Agent.ContextAdded += OnContextAdded;
            scene.Capture.StatusChanged += OnDevice;
            scene.Capture.RateMeasured += (rate, ok) => Device("device.rate", new JObject { ["measured_hz"] = Math.Round(rate, 1), ["within_1_percent"] = ok });
        }

        /// <summary>The session's Closed event, once it came.</summary>
        public Closed Closed { get; private set; }
        /// <summary>The last error the session or the agent reported.</summary>
        public SessionErrorEvent LastError { get; private set; }
        /// <summary>Every event name written, in order.</summary>
        public IReadOnlyList<string> Names => _names;

        void OnSessionEvent(SessionEvent e)
        {
            if (e is SessionErrorEvent err) { _agentErrors.Remove(err); LastError = err; }
            if (e is Closed c) Closed = c;
            _frame.Add((e.TimeMs, e.Name, null, e, double.NaN));
        }

        void OnContextAdded(string text, ContextDelivery delivery)
        {
            var i = _contextGiven.FindIndex(g => g.text == text);
            var given = i >= 0 ? _contextGiven[i] : (text: text, t: Now(), audio: double.NaN);
            if (i >= 0) _contextGiven.RemoveAt(i);
            _frame.Add((given.t, "context.added", new JObject { ["text"] = text, ["delivery"] = delivery.ToString().ToLowerInvariant() }, null, given.audio));
        }

        void OnDevice(CaptureStatus status, string reason)
        {
            switch (status)
            {
                case CaptureStatus.Capturing:
                    Device(_wasLost ? "device.restored" : "device.started", new JObject { ["device"] = reason });
                    _wasLost = false;
                    break;
                case CaptureStatus.DeviceLost:
                    _wasLost = true;
                    Device("device.lost", new JObject { ["reason"] = reason });
                    break;
            }
        }

        void Device(string name, JObject fields) => _frame.Add((Now(), name, fields, null, double.NaN));

        double Now() => _scene.Agent.Session != null ? _scene.Agent.Session.Clock.NowMs : _lastT;

        /// <summary>After each frame: overruns counted since the last one, errors the agent raised itself, then the frame's events in time order.</summary>
        public void EndFrame(double audioMs)
        {
            var overruns = _scene.Capture.Overruns;
            if (overruns != _overruns)
            {
                _overruns = overruns;
                Device("device.overrun", new JObject { ["overruns"] = overruns, ["frames"] = _scene.Capture.OverrunFrames });
            }
            foreach (var err in _agentErrors)
            {
                // The agent's own errors (no capture, consent, cost cap…) do not pass through the session.
                LastError = err;
                var fields = JsonOut.From(err);
                fields.Remove("time_ms");
                fields.Remove("name");
                _frame.Add((Now(), err.Name, fields, null, double.NaN));
            }
            _agentErrors.Clear();
            if (_frame.Count == 0) return;
            foreach (var x in _frame.OrderBy(x => x.t))   // stable: equal times keep the order they came in
            {
                _lastT = Math.Max(_lastT, x.t);
                _names.Add(x.name);
                if (_log == null) continue;
                if (x.e != null) _log.Write(x.e, audioMs);
                else _log.Write(x.name, x.t, double.IsNaN(x.audio) ? audioMs : x.audio, x.fields);
            }
            _frame.Clear();
        }
    }
}
