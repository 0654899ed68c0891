#!/usr/bin/env python3
"""Builds the lipsync training and evaluation data (stdlib only; run through ./generate).

Speech with phone timings from three sources, every phone mapped to one of the 15 Oculus visemes:
  espeak-ng 1.51 (libespeak-ng, phoneme events in IPA)       -> train voices + held-out voices
  espeak-ng's Klatt formant synthesizer (variants klatt..klatt5) -> train (part espeak-klatt, only with LIPSYNC_EXTRA=1)
  Festival 2.5 diphone voices kal, ked (utterance segments)   -> train
  Festival diphone voices czech_dita (Czech, female) and lp_diphone (Italian, female) reading the English
      training texts by their own letter-to-sound rules, labelled with the phones they spoke -> train (part
      festival-other, only with LIPSYNC_EXTRA=1)
  Festival HTS voice cmu_us_slt_arctic_hts                     -> held-out synthesizer
  asterisk-core-sounds-en-wav (Allison Smith, 8 kHz, natural)  -> natural set (evaluation texts) and
      natural-train (training texts, trained on), forced-aligned with pocketsphinx 5prealpha (en-us acoustic
      model, cmudict) in an FSG over the transcript's phones
  flite 2.2 clustergen voices awb, rms (statistical parametric, forced-aligned the same way) -> train
      (slt is left out: it is the held-out HTS voice's speaker)
Texts: the transcripts of asterisk-core-sounds-en (core-sounds-en.txt.gz), split by a stable hash of
the prompt id into training texts (3/4) and evaluation texts (1/4); every evaluation set speaks only
evaluation texts. Output: <out>/wav/*.wav, <out>/labels/*.csv (ms,viseme: start of each viseme) and
<out>/manifest.csv (id,set,synth,voice,wav,labels).
"""
import ctypes, csv, gzip, os, random, re, struct, subprocess, sys, wave, zlib

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
ALLISON = "/usr/share/asterisk/sounds/en_US_f_Allison"
TRANSCRIPT = "/usr/share/doc/asterisk-core-sounds-en/core-sounds-en.txt.gz"
PS_MODEL = "/usr/share/pocketsphinx/model/en-us"

ESPEAK_TRAIN = ["en-us", "en-us+m3", "en-us+f2", "en-gb+m2", "en-gb+f3", "en-gb-x-rp+m4",
                "en-us+f4", "en-029+m1", "en-gb-scotland+f1", "en-us+m5"]
ESPEAK_HELDOUT = ["en-us+m7", "en-gb-x-gbclan+f5", "en-gb-x-gbcwmd+m6"]
FESTIVAL_TRAIN = ["kal_diphone", "ked_diphone"]
FESTIVAL_HELDOUT = ["cmu_us_slt_arctic_hts"]
# Female diphone voices of other languages (English texts read by their own letter-to-sound rules; the labels are
# the phones they spoke): the English diphone voices are both male.
FESTIVAL_OTHER_TRAIN = ["czech_dita", "lp_diphone"]
FLITE_TRAIN = ["awb", "rms"]
# espeak-ng's Klatt formant synthesizer (variants klatt..klatt5; klatt6 sounds as klatt): another synthesis family.
ESPEAK_KLATT_TRAIN = ["en-us+klatt", "en-gb+klatt2", "en-us+klatt3", "en-gb-x-rp+klatt4", "en-us+klatt5"]
PER_KLATT_VOICE = 100
PER_TRAIN_VOICE = 160
PER_EVAL_VOICE = 60

# ARPAbet (Festival's radio phone set, CMU dictionary) -> the IPA names of the shared table.
ARPABET_IPA = {
    "aa": "ɑː", "ae": "æ", "ah": "ʌ", "ao": "ɔː", "aw": "aʊ", "ax": "ə", "axr": "ɚ", "ay": "aɪ", "b": "b",
    "ch": "tʃ", "d": "d", "dh": "ð", "dx": "ɾ", "eh": "ɛ", "el": "əl", "em": "m", "en": "n", "er": "ɚ",
    "ey": "eɪ", "f": "f", "g": "ɡ", "hh": "h", "hv": "h", "ih": "ɪ", "iy": "iː", "jh": "dʒ", "k": "k",
    "l": "l", "m": "m", "n": "n", "nx": "n", "ng": "ŋ", "ow": "oʊ", "oy": "ɔː", "p": "p", "r": "ɹ",
    "s": "s", "sh": "ʃ", "t": "t", "th": "θ", "uh": "ʊ", "uw": "uː", "v": "v", "w": "w", "y": "j",
    "z": "z", "zh": "ʒ",
}
# IPA that espeak-ng emits and the shared table lacks (documented in Documentation~/lipsync.md).
IPA_EXTRA = {"ɔɪ": "oh", "ʔ": "sil", "x": "kk", "ɬ": "nn", "ɑ": "aa", "ɔ": "oh", "o": "oh", "u": "ou",
             "ɜːɹ": "RR", "ʊə": "ou", "ɪə": "ih", "aɪə": "aa", "aʊə": "aa", "i": "ih", "ɐɪ": "aa", "ɑɪ": "aa",
             "ʌʊ": "oh", "ʊɹ": "ou", "ɪɹ": "ih", "ɔə": "oh", "aa": "aa", "oə": "oh", "t̪": "DD",
             "ɑə": "aa", "ʍ": "ou", "ʉɹ": "ou", "ʌʉ": "oh", "ʌɹ": "aa", "əɹ": "RR", "ʲ": "CH", "aɪɚ": "aa", "æʊ": "aa",
             "ei": "E", "əu": "oh", "oɪ": "oh", "ɒɪ": "oh", "n̩": "nn", "l̩": "nn", "ɫ": "nn", "ɐ": "aa", "ɵ": "ou", "əʊ": "oh"}


# Festival's Czech (festival-czech) and Italian (festvox-italp16k) phone sets -> visemes, by the IPA they stand for
# (c = ts, c~ = tʃ, ch = x, d~ = ɟ, n* = ŋ, n~ = ɲ, r~ = ř, s~ = ʃ, t~ = c, z~ = ʒ; Italian J = ɲ, L = ʎ, nf = ɱ).
CZECH_VISEME = {"#": "sil", "_": "sil", "a": "aa", "a:": "aa", "b": "PP", "c": "SS", "c~": "CH", "ch": "kk", "d": "DD",
                "d~": "DD", "dz": "SS", "dz~": "CH", "e": "E", "e:": "E", "f": "FF", "g": "kk", "h": "kk", "i": "ih",
                "i:": "ih", "j": "CH", "k": "kk", "l": "nn", "m": "PP", "n": "nn", "n*": "kk", "n~": "nn", "o": "oh",
                "o:": "oh", "p": "PP", "r": "RR", "r~": "RR", "r~*": "RR", "s": "SS", "s~": "CH", "t": "DD", "t~": "DD",
                "u": "ou", "u:": "ou", "v": "FF", "z": "SS", "z~": "CH"}
ITALIAN_VISEME = {"#": "sil", "i": "ih", "e": "E", "E": "E", "a": "aa", "o": "oh", "O": "oh", "u": "ou", "j": "CH",
                  "w": "ou", "p": "PP", "t": "DD", "k": "kk", "b": "PP", "d": "DD", "g": "kk", "f": "FF", "s": "SS",
                  "S": "CH", "v": "FF", "z": "SS", "Z": "CH", "ts": "SS", "tS": "CH", "dz": "SS", "dZ": "CH", "m": "PP",
                  "n": "nn", "J": "nn", "ng": "kk", "nf": "FF", "l": "nn", "L": "nn", "r": "RR"}


def festival_viseme(voice, p):
    if voice == "czech_dita":
        return CZECH_VISEME[p]
    if voice == "lp_diphone":
        return ITALIAN_VISEME[p.rstrip("1")]
    return arpabet_viseme(p)


def load_table():
    table = {}
    # The shared table, as copied into the test fixtures (one copy in the package).
    with open(os.path.join(ROOT, "Tests", "Fixtures~", "audio", "phoneme-visemes.csv"), encoding="utf-8") as f:
        for row in csv.DictReader(f):
            table[row["phoneme"]] = row["viseme"]
    return table


TABLE = load_table()
UNKNOWN = {}


def ipa_viseme(p):
    p = p.replace("ˈ", "").replace("ˌ", "").replace("-", "").replace("_", "").strip()
    if p in ("", "_:", ":"):
        return "sil"
    for cand in (p, p.replace("ː", ""), p + "ː"):
        if cand in TABLE:
            return TABLE[cand]
        if cand in IPA_EXTRA:
            return IPA_EXTRA[cand]
    UNKNOWN[p] = UNKNOWN.get(p, 0) + 1
    return TABLE.get(p[:1], IPA_EXTRA.get(p[:1], "sil"))


def arpabet_viseme(p):
    p = re.sub(r"\d", "", p.lower())
    if p in ("pau", "sil", "h#", "<sil>", "<s>", "</s>", "ssil") or p.startswith("+") or p.startswith("["):
        return "sil"
    return TABLE[ARPABET_IPA[p]]


def texts():
    items = []
    with gzip.open(TRANSCRIPT, "rt", encoding="utf-8", errors="replace") as f:
        for line in f:
            m = re.match(r"^([A-Za-z0-9_\-]+):\s*(.+)$", line.strip())
            if not m or "[" in m.group(2) or "/" in m.group(1):
                continue
            if not os.path.exists(os.path.join(ALLISON, m.group(1) + ".wav")):
                continue
            items.append((m.group(1), m.group(2).strip()))
    train = [t for t in items if zlib.crc32(t[0].encode()) % 4 != 0]
    test = [t for t in items if zlib.crc32(t[0].encode()) % 4 == 0]
    return train, test


def write_labels(path, rows):
    # rows: (ms, viseme) starts; merge repeats, keep order.
    out = []
    for ms, v in sorted(rows, key=lambda r: r[0]):
        if out and out[-1][1] == v:
            continue
        if out and out[-1][0] == ms:
            out[-1] = (ms, v)
            continue
        out.append((ms, v))
    with open(path, "w", encoding="utf-8") as f:
        f.write("ms,viseme\n")
        for ms, v in out:
            f.write("%d,%s\n" % (ms, v))


# ---------- espeak-ng through libespeak-ng (phoneme events) ----------
class EspeakEvent(ctypes.Structure):
    _fields_ = [("type", ctypes.c_int), ("unique_identifier", ctypes.c_uint), ("text_position", ctypes.c_int),
                ("length", ctypes.c_int), ("audio_position", ctypes.c_int), ("sample", ctypes.c_int),
                ("user_data", ctypes.c_void_p), ("id", ctypes.c_char * 8)]


def espeak_all(jobs, out):
    lib = ctypes.CDLL("libespeak-ng.so.1")
    rate = lib.espeak_Initialize(2, 0, None, 0x0001 | 0x0002)  # synchronous, phoneme events in IPA
    state = {"pcm": bytearray(), "events": []}
    CB = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.POINTER(EspeakEvent))

    def cb(wav, n, ev):
        if n > 0:
            state["pcm"] += ctypes.string_at(wav, n * 2)
        i = 0
        while ev[i].type != 0:
            if ev[i].type == 7:
                state["events"].append((ev[i].audio_position, ev[i].id.decode("utf-8", "replace").rstrip("\x00")))
            elif ev[i].type in (1, 2, 6) and ev[i].type != 6:
                pass
            i += 1
        return 0

    cbp = CB(cb)
    lib.espeak_SetSynthCallback(cbp)
    rows = []
    for (uid, voice, text, wpm, pitch, split) in jobs:
        state["pcm"] = bytearray()
        state["events"] = []
        lib.espeak_SetVoiceByName(voice.encode())
        lib.espeak_SetParameter(1, wpm, 0)
        lib.espeak_SetParameter(3, pitch, 0)
        b = text.encode("utf-8") + b"\0"
        lib.espeak_Synth(b, len(b), 0, 0, 0, 0, None, None)
        lib.espeak_Synchronize()
        wav_path = os.path.join(out, "wav", uid + ".wav")
        with wave.open(wav_path, "wb") as w:
            w.setnchannels(1); w.setsampwidth(2); w.setframerate(rate); w.writeframes(bytes(state["pcm"]))
        labels = [(0, "sil")] + [(ms, ipa_viseme(p)) for ms, p in state["events"]]
        end_ms = len(state["pcm"]) // 2 * 1000 // rate
        labels.append((max(end_ms - 1, 0), "sil")) if not labels or labels[-1][1] != "sil" else None
        write_labels(os.path.join(out, "labels", uid + ".csv"), labels)
        rows.append((uid, split, "espeak-ng", voice))
    return rows


# ---------- Festival ----------
def festival_all(jobs, out):
    rows = []
    scm = os.path.join(out, "festival.scm")
    with open(scm, "w", encoding="utf-8") as f:
        voice = None
        for (uid, v, text, stretch, split) in jobs:
            if v != voice:
                f.write("(voice_%s)\n" % v)
                voice = v
            t = text.replace("\\", " ").replace('"', "")
            f.write('(Parameter.set \'Duration_Stretch %.3f)\n' % stretch)
            f.write('(set! utt (SynthText "%s"))\n' % t)
            f.write('(utt.save.wave utt "%s" \'riff)\n' % os.path.join(out, "wav", uid + ".wav"))
            f.write('(utt.save.segs utt "%s")\n' % os.path.join(out, "labels", uid + ".segs"))
            rows.append((uid, split, "festival", v))
    subprocess.run(["festival", "-b", scm], check=True, stdout=subprocess.DEVNULL)
    kept = []
    for (uid, split, _, v) in rows:
        segs = os.path.join(out, "labels", uid + ".segs")
        if not os.path.exists(segs):
            sys.stderr.write("festival: no segments for %s, skipped\n" % uid)
            continue
        kept.append((uid, split, "festival", v))
        labels, start = [], 0
        with open(segs) as f:
            for line in f:
                parts = line.split()
                if len(parts) != 3:
                    continue
                end = int(round(float(parts[0]) * 1000))
                labels.append((start, festival_viseme(v, parts[2])))
                start = end
        labels.append((start, "sil"))
        os.remove(segs)
        write_labels(os.path.join(out, "labels", uid + ".csv"), labels)
    return kept


# ---------- natural speech: pocketsphinx forced alignment ----------
NUM = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()


def number_words(n):
    n = int(n)
    if n < 20:
        return [NUM[n]]
    if n < 100:
        return [TENS[n // 10]] + ([NUM[n % 10]] if n % 10 else [])
    return None


def load_cmudict():
    d = {}
    with open(os.path.join(PS_MODEL, "cmudict-en-us.dict"), encoding="utf-8", errors="replace") as f:
        for line in f:
            parts = line.split()
            if not parts:
                continue
            w = re.sub(r"\(\d+\)$", "", parts[0])
            d.setdefault(w, []).append(parts[1:])
    return d


PS_TEST = "/usr/share/pocketsphinx/test/data"


def other_speakers():
    """Natural speech of other speakers with transcripts, from pocketsphinx-testdata: a LibriVox reader and the 'cards' speaker."""
    items = []
    for sub in ("librivox", "cards"):
        path = os.path.join(PS_TEST, sub, "transcription" if sub == "librivox" else "cards.transcription")
        if not os.path.exists(path):
            continue
        for line in open(path):
            m = re.match(r"^<s>(.*)</s>\s*\((.+)\)\s*$", line.strip())
            if m:
                items.append(("%s-%s" % (sub, m.group(2)), m.group(1).strip(), os.path.join(PS_TEST, sub, m.group(2) + ".wav"), sub))
    return items


def natural_all(items, out, set_name="natural", split=None, synth="human"):
    cmu = load_cmudict()
    work = os.path.join(out, "align")
    os.makedirs(work, exist_ok=True)
    phones = sorted({p for prons in cmu.values() for pr in prons for p in pr})
    with open(os.path.join(work, "phones.dict"), "w") as f:
        for p in phones:
            f.write("%s %s\n" % (p, p))
    rows, skipped = [], []
    for item in items:
        uid, text = item[0], item[1]
        src = item[2] if len(item) > 2 else os.path.join(ALLISON, uid + ".wav")
        voice = item[3] if len(item) > 3 else "allison"
        words = []
        for w in re.findall(r"[A-Za-z']+|\d+", text.lower()):
            if w.isdigit():
                nw = number_words(w)
                if nw is None:
                    words = None
                    break
                words += nw
            else:
                words.append(w.strip("'"))
        if not words or any(w not in cmu for w in words):
            skipped.append(uid)
            continue
        alts = []
        for w in words:
            prons = [" ".join(p) for p in cmu[w]]
            alts.append(prons[0] if len(prons) == 1 else "( " + " | ".join(prons) + " )")
        with open(os.path.join(work, uid + ".gram"), "w") as f:
            f.write("#JSGF V1.0;\ngrammar g;\npublic <s> = %s ;\n" % " ".join(alts))
        nid = set_name + "-" + uid
        # -R -D: repeatable and undithered, so the alignment is the same on every run.
        subprocess.run(["sox", "-R", "-D", src, "-r", "16000", "-b", "16", os.path.join(work, uid + ".wav")], check=True)
        with open(os.path.join(work, uid + ".ctl"), "w") as f:
            f.write(uid + "\n")
        seg = os.path.join(work, uid + ".seg")
        subprocess.run(["pocketsphinx_batch", "-hmm", os.path.join(PS_MODEL, "en-us"), "-ctl", os.path.join(work, uid + ".ctl"),
                        "-cepdir", work, "-cepext", ".wav", "-adcin", "yes", "-adchdr", "44",
                        "-jsgf", os.path.join(work, uid + ".gram"), "-dict", os.path.join(work, "phones.dict"),
                        "-hypseg", seg, "-beam", "1e-80", "-pbeam", "1e-80", "-wbeam", "1e-60"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        tokens = open(seg).read().split() if os.path.exists(seg) else []
        if len(tokens) < 12:
            skipped.append(uid)
            continue
        body = tokens[9:]
        labels = [(0, "sil")]
        for i in range(0, len(body) - 4, 4):
            labels.append((int(body[i]) * 10, arpabet_viseme(body[i + 3])))
        labels.append((int(body[-1]) * 10, "sil"))
        with wave.open(src) as r, wave.open(os.path.join(out, "wav", nid + ".wav"), "wb") as w:
            w.setparams(r.getparams()); w.writeframes(r.readframes(r.getnframes()))
        write_labels(os.path.join(out, "labels", nid + ".csv"), labels)
        rows.append((nid, split or set_name, synth, voice))
    sys.stderr.write(set_name + ": %d aligned, %d skipped (numbers over 99, words outside cmudict, failed alignment)\n"
                     % (len(rows), len(skipped)))
    return rows


def main():
    out = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "out"))
    only = sys.argv[2] if len(sys.argv) > 2 else "all"
    for d in ("wav", "labels"):
        os.makedirs(os.path.join(out, d), exist_ok=True)
    train, test = texts()
    rows = []
    # Each part draws from its own generator seeded 14, so a part run alone gives the same files as in "all".
    rnd = random.Random(14)
    if only in ("all", "espeak"):
        jobs = []
        for v in ESPEAK_TRAIN + ESPEAK_HELDOUT:
            held = v in ESPEAK_HELDOUT
            pool = test if held else train
            for uid, text in rnd.sample(pool, min(len(pool), PER_EVAL_VOICE if held else PER_TRAIN_VOICE)):
                jobs.append(("espeak-%s-%s" % (v.replace("+", "_"), uid), v, text, rnd.randint(135, 195),
                             rnd.randint(30, 70), "heldout-voice" if held else "train"))
        rows += espeak_all(jobs, out)
    if only == "espeak-klatt":
        rnd = random.Random(14)
        jobs = []
        for v in ESPEAK_KLATT_TRAIN:
            for uid, text in rnd.sample(train, min(len(train), PER_KLATT_VOICE)):
                jobs.append(("klatt-%s-%s" % (v.replace("+", "_"), uid), v, text, rnd.randint(135, 195),
                             rnd.randint(30, 90), "train"))
        rows += espeak_all(jobs, out)
    if only in ("all", "festival"):
        rnd = random.Random(14)
        jobs = []
        for v in FESTIVAL_TRAIN + FESTIVAL_HELDOUT:
            held = v in FESTIVAL_HELDOUT
            pool = test if held else train
            for uid, text in rnd.sample(pool, min(len(pool), PER_EVAL_VOICE if held else PER_TRAIN_VOICE)):
                jobs.append(("festival-%s-%s" % (v, uid), v, text, rnd.uniform(0.85, 1.25),
                             "heldout-synth" if held else "train"))
        rows += festival_all(jobs, out)
    if only == "festival-other":
        rnd = random.Random(14)
        jobs = [("festival-%s-%s" % (v, uid), v, text, rnd.uniform(0.85, 1.25), "train")
                for v in FESTIVAL_OTHER_TRAIN for uid, text in rnd.sample(train, min(len(train), PER_TRAIN_VOICE))]
        rows += festival_all(jobs, out)
    if only in ("all", "natural"):
        rows += natural_all(test, out)
    if only in ("all", "natural-train"):
        rows += natural_all(train, out, "natural-train", split="train")
    if only in ("all", "flite"):
        rnd = random.Random(14)
        items = []
        for v in FLITE_TRAIN:
            for uid, text in rnd.sample(train, min(len(train), PER_TRAIN_VOICE)):
                src = os.path.join(out, "align", "flite-%s-%s.src.wav" % (v, uid))
                os.makedirs(os.path.dirname(src), exist_ok=True)
                subprocess.run(["flite", "-voice", v, "--setf", "duration_stretch=%.3f" % rnd.uniform(0.85, 1.25),
                                "-t", text.replace('"', ""), "-o", src], check=True)
                items.append(("%s-%s" % (v, uid), text, src, v))
        rows += natural_all(items, out, "flite", split="train", synth="flite")
    if only in ("all", "natural-other"):
        rows += natural_all(other_speakers(), out, "natural-other")
    if UNKNOWN:
        sys.stderr.write("IPA outside the table (mapped by first letter): %r\n" % UNKNOWN)
    path = os.path.join(out, "manifest.csv" if only == "all" else "manifest-%s.csv" % only)
    with open(path, "w", encoding="utf-8") as f:
        f.write("id,set,synth,voice\n")
        for r in rows:
            f.write(",".join(r) + "\n")
    sys.stderr.write("%d utterances -> %s\n" % (len(rows), path))


if __name__ == "__main__":
    main()
