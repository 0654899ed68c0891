// The VAD test corpus, built exactly as Tests/Core/Support/VadCorpus.cs builds it (same clips, gaps, seeded
// noise and SNR scaling, in double precision, rounded to float32 at the end), so the reference Silero run
// scores the very samples the C# tests score. Keep the two in step: VadCorpusTests checks a digest.
"use strict";
const fs = require("fs");
const path = require("path");

const RATE = 16000;
const CLIPS = ["npc-greeting", "npc-price", "npc-quest", "user-question", "user-thanks", "user-interrupt", "trainer-step", "trainer-answer"];
const GAPS_MS = [2000, 2600, 1500, 3000, 2200, 1800, 2800];
const LEAD_MS = 1500;
const TAIL_MS = 1500;
const CONDITIONS = [
  ["clean", "white", 60], ["white-20", "white", 20], ["white-10", "white", 10], ["white-5", "white", 5], ["white-0", "white", 0],
  ["pink-20", "pink", 20], ["pink-10", "pink", 10], ["pink-5", "pink", 5], ["pink-0", "pink", 0],
  ["babble-20", "babble", 20], ["babble-10", "babble", 10], ["babble-5", "babble", 5],
];
const speechDir = path.join(__dirname, "..", "..", "audio", "speech");

function readWav16(file) {
  const b = fs.readFileSync(file);
  let p = 12;
  while (p < b.length) {
    const id = b.toString("ascii", p, p + 4), size = b.readInt32LE(p + 4);
    if (id === "data") {
      const out = new Float64Array(size / 2);
      for (let i = 0; i < out.length; i++) out[i] = b.readInt16LE(p + 8 + 2 * i) / 32768;
      return out;
    }
    p += 8 + size + (size & 1);
  }
  throw new Error(file + ": no data chunk");
}

// [startMs, endMs) of every sounding phoneme (not a pause, not a #marker).
function speechIntervals(id) {
  const rows = fs.readFileSync(path.join(speechDir, id + ".phonemes.csv"), "utf8").trim().split(/\r?\n/).slice(1)
    .map((l) => { const c = l.indexOf(","); return [parseInt(l.slice(0, c), 10), l.slice(c + 1)]; });
  const out = [];
  for (let i = 0; i < rows.length; i++) {
    const [ms, ph] = rows[i];
    if (ph === "" || ph.startsWith("#")) continue;
    let end = ms;
    for (let j = i + 1; j < rows.length; j++) if (rows[j][0] > ms) { end = rows[j][0]; break; }
    if (end > ms) out.push([ms, end]);
  }
  return out;
}

function xorshift(seed) {
  let x = seed >>> 0;
  return () => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x / 4294967296; };
}

function white(n, seed) {
  const u = xorshift(seed), out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = (u() + u() + u() + u() - 2) * 1.7320508075688772;
  return out;
}

function pink(n, seed) {
  const w = white(n, seed), out = new Float64Array(n);
  let b0 = 0, b1 = 0, b2 = 0, b3 = 0, b4 = 0, b5 = 0, b6 = 0;
  for (let i = 0; i < n; i++) {
    const x = w[i];
    b0 = 0.99886 * b0 + x * 0.0555179; b1 = 0.99332 * b1 + x * 0.0750759; b2 = 0.969 * b2 + x * 0.153852;
    b3 = 0.8665 * b3 + x * 0.3104856; b4 = 0.55 * b4 + x * 0.5329522; b5 = -0.7616 * b5 - x * 0.016898;
    out[i] = b0 + b1 + b2 + b3 + b4 + b5 + b6 + x * 0.5362;
    b6 = x * 0.115926;
  }
  return out;
}

function babble(n, clips) {
  let len = 0; for (const c of clips) len += c.length;
  const base = new Float64Array(len); let o = 0;
  for (const c of clips) { base.set(c, o); o += c.length; }
  const out = new Float64Array(n);
  for (let k = 0; k < 6; k++) {
    const off = Math.floor(k * len / 6) + 7919 * k;
    for (let i = 0; i < n; i++) out[i] += base[(i + off) % len];
  }
  return out;
}

function build() {
  const clips = CLIPS.map((id) => readWav16(path.join(speechDir, id + "-16k.wav")));
  let n = (LEAD_MS + TAIL_MS) * RATE / 1000;
  clips.forEach((c) => (n += c.length));
  GAPS_MS.forEach((g) => (n += g * RATE / 1000));
  const speech = new Float64Array(n), isSpeech = new Uint8Array(n), intervals = [], onsets = [];
  let at = LEAD_MS * RATE / 1000;
  clips.forEach((c, k) => {
    speech.set(c, at);
    const startMs = at * 1000 / RATE;
    const iv = speechIntervals(CLIPS[k]);
    onsets.push(startMs + iv[0][0]);
    for (const [s, e] of iv) {
      intervals.push([startMs + s, startMs + e]);
      for (let i = at + s * RATE / 1000; i < Math.min(at + e * RATE / 1000, at + c.length); i++) isSpeech[i] = 1;
    }
    at += c.length + (k < GAPS_MS.length ? GAPS_MS[k] * RATE / 1000 : 0);
  });
  let ps = 0, count = 0;
  for (let i = 0; i < n; i++) if (isSpeech[i]) { ps += speech[i] * speech[i]; count++; }
  ps /= count;
  const noises = { white: white(n, 1), pink: pink(n, 2), babble: babble(n, clips) };
  const conditions = CONDITIONS.map(([name, kind, snr]) => {
    const noise = noises[kind];
    let pn = 0; for (let i = 0; i < n; i++) pn += noise[i] * noise[i];
    pn /= n;
    const gain = Math.sqrt(ps / (pn * Math.pow(10, snr / 10)));
    const mix = new Float32Array(n);
    for (let i = 0; i < n; i++) mix[i] = speech[i] + gain * noise[i];
    return { name, mix };
  });
  return { rate: RATE, conditions, intervals, onsets };
}

module.exports = { build, RATE };
