// Minimal C ABI over WebRTC's AudioProcessing 0.3 (Debian libwebrtc-audio-processing-dev), used by the echo
// canceller comparison only. Built at benchmark time by WebRtcAec.cs:
//   g++ -O2 -shared -fPIC webrtc_aec_shim.cc $(pkg-config --cflags --libs webrtc-audio-processing) -o libparley_webrtc_shim.so
// Settings: legacy AEC (EchoCancellation) on, kModerateSuppression (the default), drift compensation off, extended
// filter off, delay-agnostic off (the true delay is given with set_stream_delay_ms); every other component off.
#include <cstring>
#include <webrtc/modules/audio_processing/include/audio_processing.h>
#include <webrtc/modules/interface/module_common_types.h>

struct Shim {
  webrtc::AudioProcessing* apm;
  int rate;
  int frame;
};

extern "C" {

void* parley_webrtc_create(int rate, int suppression) {
  webrtc::Config config;
  config.Set<webrtc::ExtendedFilter>(new webrtc::ExtendedFilter(false));
  config.Set<webrtc::DelayAgnostic>(new webrtc::DelayAgnostic(false));
  webrtc::AudioProcessing* apm = webrtc::AudioProcessing::Create(config);
  if (!apm) return nullptr;
  // The int16 interface needs the reverse rate to equal the forward one; the forward rate is 16 kHz until a
  // forward frame arrives, so a first reverse frame at any other rate is refused (kBadSampleRateError) without this.
  if (apm->Initialize(rate, rate, rate, webrtc::AudioProcessing::kMono, webrtc::AudioProcessing::kMono,
                      webrtc::AudioProcessing::kMono) != 0) { delete apm; return nullptr; }
  apm->high_pass_filter()->Enable(false);
  apm->noise_suppression()->Enable(false);
  apm->gain_control()->Enable(false);
  apm->voice_detection()->Enable(false);
  apm->level_estimator()->Enable(false);
  apm->echo_cancellation()->enable_drift_compensation(false);
  apm->echo_cancellation()->set_suppression_level(
      static_cast<webrtc::EchoCancellation::SuppressionLevel>(suppression));
  if (apm->echo_cancellation()->Enable(true) != 0) { delete apm; return nullptr; }
  Shim* s = new Shim();
  s->apm = apm;
  s->rate = rate;
  s->frame = rate / 100;
  return s;
}

// One 10 ms frame: far (what is played now), near (microphone), out (may alias near). Returns the APM error code.
int parley_webrtc_process(void* handle, const short* far_frame, const short* near_frame, short* out, int delay_ms) {
  Shim* s = static_cast<Shim*>(handle);
  webrtc::AudioFrame far;
  far.sample_rate_hz_ = s->rate;
  far.num_channels_ = 1;
  far.samples_per_channel_ = s->frame;
  std::memcpy(far.data_, far_frame, sizeof(short) * s->frame);
  int err = s->apm->ProcessReverseStream(&far);
  if (err != 0) return err;
  webrtc::AudioFrame near;
  near.sample_rate_hz_ = s->rate;
  near.num_channels_ = 1;
  near.samples_per_channel_ = s->frame;
  std::memcpy(near.data_, near_frame, sizeof(short) * s->frame);
  s->apm->set_stream_delay_ms(delay_ms);
  err = s->apm->ProcessStream(&near);
  std::memcpy(out, near.data_, sizeof(short) * s->frame);
  return err;
}

void parley_webrtc_destroy(void* handle) {
  Shim* s = static_cast<Shim*>(handle);
  delete s->apm;
  delete s;
}

}
