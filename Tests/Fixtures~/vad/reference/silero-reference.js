// Reference Silero VAD v5 run: @ricky0123/vad-web's own Silero class (512-sample frames, 64-sample context,
// recurrent state) on onnxruntime-node, over every condition of the VAD corpus. Writes silero-reference.csv
// (condition,frame,probability), which the host-only Silero tests compare with Parley's run.
// Run: npm install && node silero-reference.js   (in this folder; package.json pins both versions)
"use strict";
const fs = require("fs");
const path = require("path");
const ort = require("onnxruntime-node");
const { Silero } = require("@ricky0123/vad-web/dist/models/silero");
const { build } = require("./corpus");

const FRAME = 512;

async function main() {
  const modelPath = require.resolve("@ricky0123/vad-web/dist/silero_vad_v5.onnx");
  const model = fs.readFileSync(modelPath);
  const vad = await Silero.new(ort, async () => model.buffer.slice(model.byteOffset, model.byteOffset + model.byteLength));
  const corpus = build();
  const lines = ["condition,frame,probability"];
  for (const { name, mix } of corpus.conditions) {
    vad.reset_state();
    for (let f = 0; (f + 1) * FRAME <= mix.length; f++) {
      const { isSpeech } = await vad.process(mix.slice(f * FRAME, (f + 1) * FRAME));
      lines.push(name + "," + f + "," + isSpeech.toFixed(6));
    }
    process.stderr.write(name + " done\n");
  }
  fs.writeFileSync(path.join(__dirname, "silero-reference.csv"), lines.join("\n") + "\n");
  // Checksums of the corpus itself, so a C# corpus that drifted from this one fails loudly instead of comparing other samples.
  const sums = ["condition,samples,sum,sum_squares"];
  for (const { name, mix } of corpus.conditions) {
    let s = 0, q = 0;
    for (let i = 0; i < mix.length; i++) { s += mix[i]; q += mix[i] * mix[i]; }
    sums.push(name + "," + mix.length + "," + s.toPrecision(12) + "," + q.toPrecision(12));
  }
  fs.writeFileSync(path.join(__dirname, "corpus-check.csv"), sums.join("\n") + "\n");
  const v = (p) => JSON.parse(fs.readFileSync(require.resolve(p + "/package.json"), "utf8")).version;
  process.stderr.write("vad-web " + v("@ricky0123/vad-web") + ", onnxruntime-node " + v("onnxruntime-node") + "\n");
}

main().catch((e) => { console.error(e); process.exit(1); });
