#!/usr/bin/python3
"""Golden fixtures for AverLab.Media audio features (MFCC, mel dB, deltas) on real RAVDESS speech.

Command (from the repository root, with ../shared beside it; Debian python3-numpy/scipy/torch/torchaudio):
    /usr/bin/python3 tests/golden/make_media_golden.py [--data ../shared/data/ravdess-speech-sample]

Reference: a numpy re-implementation of librosa 0.10's published algorithms (librosa itself is not installed):
  librosa.load(path, sr=None, offset=0.5, duration=3.0)  -> int16 / 32768 as float32, 144000 samples at 48 kHz
  librosa.stft(n_fft=1024, hop_length=512, win_length=512, window='hamming' (scipy get_window, periodic,
               pad_center to n_fft), center=True, pad_mode='constant')          -> 513 x 282 (1 + 144000 // 512)
  librosa.feature.melspectrogram(power=2.0, n_mels=128, fmin=0, fmax=24000, htk=False, norm='slaney')
  librosa.power_to_db(ref=1.0, amin=1e-10, top_db=80.0)                         -> mel_db 128 x 282
  librosa.feature.mfcc(n_mfcc=40, dct_type=2, norm='ortho', lifter=0)          -> mfcc 40 x 282
  librosa.feature.delta(mfcc, width=9, order=1 and 2, mode='interp')           -> delta1, delta2 (first clip)
The clips: CLIPS below (Actor_01 and Actor_02). Each fixture media_mfcc_<n>.safetensors holds
  input_i16 (I16, [144000]: the excerpt's original PCM; samples = input_i16 / 32768), mel_db (F32 [128, 282]),
  mfcc (F32 [40, 282]); clip 0 also delta1, delta2 (F32 [40, 282]).
It also checks this numpy reference against torchaudio 0.13 (MelSpectrogram / MFCC with htk mel scale, norm=None,
where their options coincide) and prints the maximum absolute difference in dB.
"""
import argparse
import json
import os
import struct
import sys

import numpy as np
import scipy.fft
import scipy.io.wavfile
import scipy.signal

CLIPS = [
    "Actor_01/03-01-05-02-01-01-01.wav",  # angry, strong
    "Actor_02/03-01-03-01-02-02-02.wav",  # happy, normal
    "Actor_02/03-01-01-01-01-01-02.wav",  # neutral
]
SR, OFFSET, DURATION = 48000, 0.5, 3.0
N_FFT, HOP, WIN, N_MELS, N_MFCC, FMAX = 1024, 512, 512, 128, 40, 24000.0


def load_excerpt(path):
    sr, data = scipy.io.wavfile.read(path)
    assert sr == SR and data.dtype == np.int16 and data.ndim == 1, (path, sr, data.dtype, data.shape)
    start = int(np.round(OFFSET * sr))          # soundfile seek as librosa.load does
    return data[start:start + int(np.round(DURATION * sr))]


def get_window(name, n):
    # scipy.signal.get_window(name, n, fftbins=True): periodic
    return scipy.signal.get_window(name, n, fftbins=True)


def stft(y, n_fft, hop, win_length, window, center=True, pad_mode="constant"):
    w = get_window(window, win_length)
    lpad = (n_fft - win_length) // 2
    w = np.pad(w, (lpad, n_fft - win_length - lpad))   # librosa.util.pad_center
    if center:
        y = np.pad(y, (n_fft // 2, n_fft // 2), mode=pad_mode)
    n_frames = 1 + (len(y) - n_fft) // hop
    frames = np.lib.stride_tricks.as_strided(y, shape=(n_fft, n_frames), strides=(y.strides[0], y.strides[0] * hop))
    return np.fft.rfft(w[:, None] * frames, axis=0).astype(np.complex64)


def hz_to_mel(f, htk):
    f = np.asanyarray(f, dtype=np.float64)
    if htk:
        return 2595.0 * np.log10(1.0 + f / 700.0)
    f_sp, min_log_hz = 200.0 / 3, 1000.0
    min_log_mel, logstep = min_log_hz / f_sp, np.log(6.4) / 27.0
    return np.where(f >= min_log_hz, min_log_mel + np.log(np.maximum(f, 1e-300) / min_log_hz) / logstep, f / f_sp)


def mel_to_hz(m, htk):
    m = np.asanyarray(m, dtype=np.float64)
    if htk:
        return 700.0 * (10.0 ** (m / 2595.0) - 1.0)
    f_sp, min_log_hz = 200.0 / 3, 1000.0
    min_log_mel, logstep = min_log_hz / f_sp, np.log(6.4) / 27.0
    return np.where(m >= min_log_mel, min_log_hz * np.exp(logstep * (m - min_log_mel)), f_sp * m)


def mel_filters(sr, n_fft, n_mels, fmin, fmax, htk, norm):
    weights = np.zeros((n_mels, 1 + n_fft // 2), dtype=np.float32)
    fftfreqs = np.fft.rfftfreq(n=n_fft, d=1.0 / sr)
    mel_f = mel_to_hz(np.linspace(hz_to_mel(fmin, htk), hz_to_mel(fmax, htk), n_mels + 2), htk)
    fdiff = np.diff(mel_f)
    ramps = np.subtract.outer(mel_f, fftfreqs)
    for i in range(n_mels):
        lower = -ramps[i] / fdiff[i]
        upper = ramps[i + 2] / fdiff[i + 1]
        weights[i] = np.maximum(0, np.minimum(lower, upper))
    if norm == "slaney":
        enorm = 2.0 / (mel_f[2:n_mels + 2] - mel_f[:n_mels])
        weights *= enorm[:, np.newaxis]
    return weights


def power_to_db(S, ref=1.0, amin=1e-10, top_db=80.0):
    log_spec = 10.0 * np.log10(np.maximum(amin, S))
    log_spec -= 10.0 * np.log10(np.maximum(amin, ref))
    if top_db is not None:
        log_spec = np.maximum(log_spec, log_spec.max() - top_db)
    return log_spec


def features(y, htk=False, norm="slaney"):
    S = np.abs(stft(y, N_FFT, HOP, WIN, "hamming")) ** 2
    mel = mel_filters(SR, N_FFT, N_MELS, 0.0, FMAX, htk, norm) @ S
    mel_db = power_to_db(mel)
    mfcc = scipy.fft.dct(mel_db, axis=-2, type=2, norm="ortho")[:N_MFCC]
    return mel_db.astype(np.float32), mfcc.astype(np.float32)


def delta(data, width=9, order=1):
    return scipy.signal.savgol_filter(data, width, deriv=order, polyorder=order, axis=-1, mode="interp")


def write_safetensors(path, tensors):
    header, blobs, off = {}, [], 0
    for name, arr in tensors.items():
        arr = np.ascontiguousarray(arr)
        dt = {np.dtype(np.float32): "F32", np.dtype(np.int16): "I16"}[arr.dtype]
        b = arr.astype(arr.dtype.newbyteorder("<")).tobytes()
        header[name] = {"dtype": dt, "shape": list(arr.shape), "data_offsets": [off, off + len(b)]}
        blobs.append(b)
        off += len(b)
    header["__metadata__"] = {"generator": "tests/golden/make_media_golden.py"}
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


def check_torchaudio(y):
    import torch
    import torchaudio
    torch.set_num_threads(1)
    melkw = dict(n_fft=N_FFT, win_length=WIN, hop_length=HOP, n_mels=N_MELS, f_min=0.0, f_max=FMAX,
                 window_fn=torch.hamming_window, center=True, pad_mode="constant", power=2.0, norm=None, mel_scale="htk")
    mfcc_t = torchaudio.transforms.MFCC(sample_rate=SR, n_mfcc=N_MFCC, dct_type=2, norm="ortho", log_mels=False,
                                        melkwargs=melkw)
    mel_t = torchaudio.transforms.MelSpectrogram(sample_rate=SR, **melkw)
    x = torch.from_numpy(y.astype(np.float32))
    mel_db_t = torchaudio.transforms.AmplitudeToDB("power", top_db=80.0)(mel_t(x).double()).numpy()
    mfcc_ta = mfcc_t(x).numpy()
    mel_db_np, mfcc_np = features(y, htk=True, norm=None)
    return np.abs(mel_db_t - mel_db_np).max(), np.abs(mfcc_ta - mfcc_np).max(), np.abs(mfcc_np).max()


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=os.path.join(here, "..", "..", "..", "shared", "data", "ravdess-speech-sample"))
    args = ap.parse_args()
    for i, clip in enumerate(CLIPS):
        pcm = load_excerpt(os.path.join(args.data, clip))
        y = pcm.astype(np.float32) / np.float32(32768.0)
        assert len(y) == 144000
        mel_db, mfcc = features(y)
        assert mfcc.shape == (40, 282) and mel_db.shape == (128, 282), (mfcc.shape, mel_db.shape)
        out = {"input_i16": pcm.astype(np.int16), "mel_db": mel_db, "mfcc": mfcc}
        if i == 0:
            out["delta1"] = delta(mfcc, order=1).astype(np.float32)
            out["delta2"] = delta(mfcc, order=2).astype(np.float32)
        path = os.path.join(here, f"media_mfcc_{i}.safetensors")
        write_safetensors(path, out)
        d_mel, d_mfcc, scale = check_torchaudio(y)
        print(f"{clip}: mel_db range [{mel_db.min():.2f}, {mel_db.max():.2f}] dB; torchaudio (htk, norm=None) vs "
              f"numpy reference: max |d mel_db| = {d_mel:.3e} dB, max |d mfcc| = {d_mfcc:.3e} (max |mfcc| {scale:.1f})")
        print(f"  wrote {path} ({os.path.getsize(path)} bytes)")


if __name__ == "__main__":
    sys.exit(main())
