#!/usr/bin/python3
"""The Python peer of `averlab-predict <video> --mode video` with the shipped packages (models/ravdess-speech for the
audio track, models/fer2013-face for the faces): the same work, written as a Python user would with PyTorch 1.13,
OpenCV and numpy/scipy (Debian's python3-torch, python3-opencv, python3-numpy, python3-scipy). bench/predict-rtf.sh
times it beside AverLab.

    /usr/bin/python3 bench/predict_peer.py <video> [--models models] [--fps 4] [--threads N] [--out result.json]

What it does, stage by stage, and what in AverLab it mirrors:
  audio     ffmpeg decodes the first audio track to 22,050 Hz mono float32 over a pipe, with the arguments
            AverLab.Media.Video.VideoAudio.Extract passes (soxr resampler, precision 28).
  windows   consecutive windows of features.duration (3 s = 66,150 samples) from 0, the last one shorter
            (Analyzer.AudioWindows); features.denoise none and no trim, as the package says.
  features  the 1,020-value hand-crafted vector of each window: tests/golden/make_media_golden.py's handcrafted(), the
            numpy/scipy port of librosa 0.10's algorithms that AverLab's HandcraftedFeatures is tested against (STFT
            2048/512, zcr, rms, centroid, bandwidth, rolloff, flatness, spectral contrast, chroma_stft with tuning
            estimation, 128-mel slaney + 40 MFCC + deltas (savgol), onset strength, tempo, beat_track's DP, HPSS with
            scipy.ndimage.median_filter, 16-mel HPSS bands, mel dB statistics): the same vector, computed with the calls
            librosa itself makes, minus librosa's argument checking (librosa is not in Debian; its beat tracker's inner
            loop is numba-compiled there, a Python loop of about 130 steps per window here).
  audio model  the card's scaler, then feature_mlp (feature_mean/std, Linear 1020-256, ReLU, Linear 256-8), softmax.
  frames    cv2.VideoCapture, every frame grabbed, only those that ffmpeg's fps filter keeps at --fps retrieved
            (AverLab's FpsSampler: round-to-nearest ticks, the last frame whose tick is at most k / fps).
  faces     BGR to gray, the Haar cascade haarcascade_frontalface_default.xml (Debian's opencv-data) with AverLab's
            parameters (scaleFactor 1.1, minNeighbors 5, minSize 30x30), the largest box, its square crop with FER's
            10 % margin (zero padding at the border), INTER_AREA to 48x48 (bilinear when enlarging), / 255.
  face model  fer_vgg (4 stages of 2 x [conv3x3, BN, ReLU] + max-pool, Linear 2304-256, ReLU, Linear 256-7) on the crop
            and its mirror in one batch of 2, softmax averaged (the package's flip_average).
  fusion    Analyzer's late fusion: the 7 emotions both label sets share (calm counted as neutral), per audio window
            0.5 x audio + 0.5 x the mean of the face frames starting inside it, and the duration-weighted overall.
Weights: read from the packages' weights.safetensors (float16, widened to float32) by the reader below.
Threads: torch.set_num_threads(--threads) (predict-rtf.sh passes AverLab's libtorch count); OpenBLAS and OpenCV keep
their defaults (all cores), as AverLab's MKL and OpenCV do. Prints the result JSON (--out: to a file) and, on stderr,
one line of stage seconds (`# peer stages ...`)."""
import argparse
import json
import os
import struct
import subprocess
import sys
import time

t_start = time.perf_counter()
import cv2  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402

here = os.path.dirname(os.path.abspath(__file__))
repo = os.path.dirname(here)
sys.path.insert(0, os.path.join(repo, "tests", "golden"))
from make_media_golden import handcrafted  # noqa: E402  numpy/scipy port of librosa 0.10 (see above)

t_imports = time.perf_counter() - t_start
CASCADE = "/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml"
DTYPES = {"F16": np.float16, "F32": np.float32, "F64": np.float64, "I64": np.int64}


def read_safetensors(path):
    b = open(path, "rb").read()
    n = struct.unpack("<Q", b[:8])[0]
    header, base = json.loads(b[8:8 + n]), 8 + n
    out = {}
    for k, v in header.items():
        if k == "__metadata__":
            continue
        s, e = v["data_offsets"]
        out[k] = torch.from_numpy(np.frombuffer(b[base + s:base + e], dtype=DTYPES[v["dtype"]]).reshape(v["shape"]).astype(np.int64 if v["dtype"] == "I64" else np.float32))
    return out


class FerVgg(nn.Module):
    """fer_vgg as bench/models.py and tests/golden/make_shipped_golden.py build it (src/AverLab.Models/FerVgg.cs)."""

    def __init__(self, classes=7, channels=(32, 64, 128, 256), hidden=256):
        super().__init__()
        layers, c = [], 1
        for k in channels:
            for _ in range(2):
                layers += [nn.Conv2d(c, k, 3, padding=1, bias=False), nn.BatchNorm2d(k), nn.ReLU(inplace=True)]
                c = k
            layers.append(nn.MaxPool2d(2))
        self.features = nn.Sequential(*layers)
        self.classifier = nn.Sequential(nn.Dropout(0.4), nn.Linear(c * 9, hidden), nn.ReLU(inplace=True), nn.Dropout(0.4),
                                        nn.Linear(hidden, classes))

    def forward(self, x):
        return self.classifier(self.features(x).flatten(1))


class FeatureMlp(nn.Module):
    """feature_mlp with one hidden layer (the package's hidden_sizes [256]); keys as AverLab's state dict."""

    def __init__(self, inputs, hidden, classes):
        super().__init__()
        self.register_buffer("feature_mean", torch.zeros(inputs))
        self.register_buffer("feature_std", torch.ones(inputs))
        self.mlp = nn.Sequential(nn.Linear(inputs, hidden), nn.ReLU(), nn.Dropout(0.5), nn.Linear(hidden, classes))

    def forward(self, x):
        return self.mlp((x - self.feature_mean) / self.feature_std)


def load_package(folder):
    card = json.load(open(os.path.join(folder, "model.json")))
    weights = read_safetensors(os.path.join(folder, card["checkpoint"]))
    o = card["options"]
    if card["model"] == "fer_vgg":
        m = FerVgg(len(card["classes"]), tuple(o["channels"]), o["hidden_size"])
    elif card["model"] == "feature_mlp":
        assert len(o["hidden_sizes"]) == 1 and not o.get("pca_components"), o
        m = FeatureMlp(o["input_size"], o["hidden_sizes"][0], len(card["classes"]))
    else:
        raise SystemExit(f"predict_peer: {folder}: model {card['model']} is not one the peer builds")
    m.load_state_dict(weights)
    m.eval()
    return card, m


def decode_audio(path, rate):
    # VideoAudio.Extract's command (the track is 48 kHz here, so the soxr resampling always applies).
    args = ["ffmpeg", "-v", "error", "-nostdin", "-i", path, "-map", "0:a:0", "-vn", "-ac", "1",
            "-af", f"aresample={rate}:resampler=soxr:precision=28", "-f", "f32le", "-acodec", "pcm_f32le", "-"]
    return np.frombuffer(subprocess.run(args, check=True, capture_output=True).stdout, dtype=np.float32)


def sampled_frames(path, fps):
    """(k, BGR frame) for the frames ffmpeg's fps filter outputs at `fps` (AverLab's FpsSampler and the conversion
    policy of VideoFrameReader.SampleAtFps: a frame is retrieved only when it may be output)."""
    cap = cv2.VideoCapture(path)
    if not cap.isOpened():
        raise SystemExit(f"predict_peer: {path}: cannot open the video")
    tick = lambda t: int(np.floor(t * fps + 0.5 + 1e-9))  # noqa: E731
    interval = 1 / cap.get(cv2.CAP_PROP_FPS)
    nxt, started, held, held_t, count = 0, False, None, 0.0, 0
    while cap.grab():
        t = cap.get(cv2.CAP_PROP_POS_MSEC) / 1000.0
        k = tick(t)
        if not started:
            started, nxt, repeats = True, k, 0
        else:
            repeats = max(0, k - nxt)
            nxt += repeats
        for _ in range(repeats):
            yield count, held
            count += 1
        held_t = t
        held = cap.retrieve()[1] if tick(t + 1.5 * interval) > nxt else None
    end = max(0, tick(held_t + interval) - nxt) if started else 0
    for _ in range(end):
        yield count, held
        count += 1
    cap.release()


def crop(gray, box, size=48, margin=0.1):
    x, y, w, h = (int(v) for v in box)
    side = max(1, round(max(w, h) * (1 + 2 * margin)))
    x0, y0 = round(x + w / 2.0 - side / 2.0), round(y + h / 2.0 - side / 2.0)
    H, W = gray.shape
    out = np.zeros((side, side), np.uint8)
    sx0, sy0, sx1, sy1 = max(x0, 0), max(y0, 0), min(x0 + side, W), min(y0 + side, H)
    if sx1 > sx0 and sy1 > sy0:
        out[sy0 - y0:sy1 - y0, sx0 - x0:sx1 - x0] = gray[sy0:sy1, sx0:sx1]
    if side != size:
        out = cv2.resize(out, (size, size), interpolation=cv2.INTER_AREA if side > size else cv2.INTER_LINEAR)
    return out.astype(np.float32) / 255.0


EMOTIONS = {"fear": "fearful", "surprise": "surprised", "calm": "neutral"}


def to_shared(probs, classes, shared):
    p = dict.fromkeys(shared, 0.0)
    for c, v in zip(classes, probs):
        t = EMOTIONS.get(c, c)
        if t in p:
            p[t] += v
    total = sum(p.values())
    return {c: (p[c] / total if total > 0 else 1 / len(shared)) for c in shared}


def estimate(p):
    return {"emotion": max(p, key=p.get), "probabilities": {c: round(v, 6) for c, v in p.items()}}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("video")
    ap.add_argument("--models", default=os.path.join(repo, "models"))
    ap.add_argument("--fps", type=float, default=4.0)
    ap.add_argument("--threads", type=int, default=0, help="torch.set_num_threads (0: PyTorch's default)")
    ap.add_argument("--audio-weight", type=float, default=0.5)
    ap.add_argument("--out")
    a = ap.parse_args()
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    stages = dict.fromkeys(["imports", "load", "audio_decode", "features", "audio_model", "frames", "detect", "crop",
                            "face_model", "fusion"], 0.0)
    stages["imports"] = t_imports
    clock = time.perf_counter
    t = clock()
    audio_card, audio_model = load_package(os.path.join(a.models, "ravdess-speech"))
    face_card, face_model = load_package(os.path.join(a.models, "fer2013-face"))
    cascade = cv2.CascadeClassifier(CASCADE)
    scaler_mean = np.array(audio_card["scaler"]["mean"], np.float32)
    scaler_std = np.array(audio_card["scaler"]["std"], np.float32)
    stages["load"] = clock() - t

    with torch.no_grad():
        # Audio track → windows → hand-crafted vector → MLP.
        t = clock()
        f = audio_card["features"]
        sr = f["sample_rate"]
        mono = decode_audio(a.video, sr)
        stages["audio_decode"] = clock() - t
        n = max(1, round(f["duration"] * sr))
        audio_tl = []
        for start in range(0, max(len(mono), 1), n):
            chunk = mono[start:start + n]
            t = clock()
            v = handcrafted(chunk, sr)[0].astype(np.float32)
            t2 = clock()
            stages["features"] += t2 - t
            x = torch.from_numpy((v - scaler_mean) * (1 / scaler_std))[None]
            p = torch.softmax(audio_model(x).double(), 1)[0].numpy()
            stages["audio_model"] += clock() - t2
            audio_tl.append((round(start / sr, 3), round((start + len(chunk)) / sr, 3), p))

        # Frames at --fps → Haar → largest face → 48x48 crop → fer_vgg with its mirror.
        face_tl = []
        frames = sampled_frames(a.video, a.fps)
        flip = face_card["options"].get("flip_average", False)
        while True:
            t = clock()
            item = next(frames, None)
            t2 = clock()
            stages["frames"] += t2 - t
            if item is None:
                break
            k, frame = item
            gray = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
            boxes = cascade.detectMultiScale(gray, scaleFactor=1.1, minNeighbors=5, flags=0, minSize=(30, 30))
            t3 = clock()
            stages["detect"] += t3 - t2
            if len(boxes) == 0:
                continue
            box = max(boxes, key=lambda b: int(b[2]) * int(b[3]))  # first of the largest, as AverLab's ChooseLargest
            x = torch.from_numpy(crop(gray, box))[None, None]
            t4 = clock()
            stages["crop"] += t4 - t3
            if flip:
                p = torch.softmax(face_model(torch.cat([x, x.flip(3)])).double(), 1).mean(0).numpy()
            else:
                p = torch.softmax(face_model(x).double(), 1)[0].numpy()
            stages["face_model"] += clock() - t4
            face_tl.append((round(k / a.fps, 3), p))

    # Late fusion over the shared emotions, as Analyzer.Fuse / Average.
    t = clock()
    shared = []
    face_emotions = {EMOTIONS.get(c, c) for c in face_card["classes"]}
    for c in audio_card["classes"]:
        e = EMOTIONS.get(c, c)
        if e in face_emotions and e not in shared:
            shared.append(e)
    faces = [(s, to_shared(p, face_card["classes"], shared)) for s, p in face_tl]
    timeline = []
    w = a.audio_weight
    for s, e, p in audio_tl:
        ap_ = to_shared(p, audio_card["classes"], shared)
        inside = [fp for fs, fp in faces if s <= fs < e]
        fused = {c: ap_[c] if not inside else w * ap_[c] + (1 - w) * sum(fp[c] for fp in inside) / len(inside) for c in shared}
        timeline.append({"start": s, "end": e, **estimate(fused)})
    weights = [max(x["end"] - x["start"], 1e-6) for x in timeline]
    overall = {c: sum(x["probabilities"][c] * wt for x, wt in zip(timeline, weights)) / sum(weights) for c in shared}
    stages["fusion"] = clock() - t
    result = {"file": a.video, "mode": "video", "overall": estimate(overall), "timeline": timeline,
              "audio_windows": len(audio_tl), "face_frames": len(face_tl),
              "threads": {"torch": torch.get_num_threads(), "opencv": cv2.getNumThreads()}}
    text = json.dumps(result, indent=1)
    if a.out:
        open(a.out, "w").write(text + "\n")
    else:
        print(text)
    print("# peer stages " + " ".join(f"{k}={v:.3f}" for k, v in stages.items()) + f" total={time.perf_counter() - t_start:.3f}",
          file=sys.stderr)


if __name__ == "__main__":
    main()
