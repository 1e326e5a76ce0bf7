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
media_spectral_0.safetensors (clip 0, librosa defaults n_fft 2048, hop 512, Hann): rms, zcr, centroid, bandwidth,
  rolloff (0.85), flatness, contrast [7, 282], chroma (chroma_stft with estimate_tuning) [12, 282], onset
  (onset.onset_strength), tuning, tempo (feature.tempo, start_bpm 120) — re-implemented from librosa 0.10's source —
  and handcrafted [1020] (the hand-crafted vector, with beat.beat_track and decompose.hpss ported the same way).
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


# ---- Spectral, chroma, rhythm references (librosa 0.10 defaults: n_fft 2048, hop 512, Hann, center, constant) ----

def magnitude(y, n_fft=2048, hop=512):
    return np.abs(stft(y, n_fft, hop, n_fft, "hann"))


def normalize(S, norm, axis=0):
    tiny = np.finfo(np.float32).tiny
    mag = np.abs(S).astype(np.float64)
    if norm == np.inf:
        length = np.max(mag, axis=axis, keepdims=True)
    elif norm == 1:
        length = np.sum(mag, axis=axis, keepdims=True)
    else:
        length = np.sum(mag ** norm, axis=axis, keepdims=True) ** (1.0 / norm)
    length[length < tiny] = 1.0
    return S / length


def frame_signal(y, frame_length, hop):
    n = 1 + (len(y) - frame_length) // hop
    return np.lib.stride_tricks.as_strided(y, shape=(frame_length, n), strides=(y.strides[0], y.strides[0] * hop))


def rms(y, frame_length=2048, hop=512):
    yp = np.pad(y, frame_length // 2, mode="constant")
    return np.sqrt(np.mean(np.abs(frame_signal(yp, frame_length, hop)) ** 2, axis=0))


def zcr(y, frame_length=2048, hop=512):
    yp = np.pad(y, frame_length // 2, mode="edge")
    fr = frame_signal(yp, frame_length, hop).copy()
    fr[np.abs(fr) <= 1e-10] = 0
    sb = np.signbit(fr)
    z = np.zeros_like(fr, dtype=bool)
    z[1:] = sb[1:] != sb[:-1]
    return np.mean(z, axis=0)


def spectral(S, sr):
    n_fft = 2 * (S.shape[0] - 1)
    freq = np.fft.rfftfreq(n_fft, 1.0 / sr)[:, None]
    centroid = np.sum(freq * normalize(S, 1), axis=0)
    bandwidth = np.sum(normalize(S, 1) * np.abs(freq - centroid[None]) ** 2, axis=0) ** 0.5
    total = np.cumsum(S, axis=0)
    thr = 0.85 * total[-1]
    ind = np.where(total < thr, np.nan, 1)
    rolloff = np.nanmin(ind * freq, axis=0)
    St = np.maximum(1e-10, S ** 2.0)
    flatness = np.exp(np.mean(np.log(St), axis=0)) / np.mean(St, axis=0)
    return centroid, bandwidth, rolloff, flatness


def contrast(S, sr, fmin=200.0, n_bands=6, quantile=0.02):
    n_fft = 2 * (S.shape[0] - 1)
    freq = np.fft.rfftfreq(n_fft, 1.0 / sr)
    octa = np.zeros(n_bands + 2)
    octa[1:] = fmin * (2.0 ** np.arange(0, n_bands + 1))
    valley = np.zeros((n_bands + 1, S.shape[1]))
    peak = np.zeros_like(valley)
    for k, (f_low, f_high) in enumerate(zip(octa[:-1], octa[1:])):
        current_band = np.logical_and(freq >= f_low, freq <= f_high)
        idx = np.flatnonzero(current_band)
        if k > 0:
            current_band[idx[0] - 1] = True
        if k == n_bands:
            current_band[idx[-1] + 1:] = True
        sub_band = S[current_band]
        if k < n_bands:
            sub_band = sub_band[:-1]
        idx = int(np.maximum(np.rint(quantile * np.sum(current_band)), 1))
        sortedr = np.sort(sub_band, axis=0)
        valley[k] = np.mean(sortedr[:idx], axis=0)
        peak[k] = np.mean(sortedr[-idx:], axis=0)
    return power_to_db(peak) - power_to_db(valley)


def hz_to_octs(f, tuning=0.0, bins_per_octave=12):
    return np.log2(f / (440.0 * 2.0 ** (tuning / bins_per_octave) / 16))


def localmax(x, axis=0):
    xp = np.pad(x, [(1, 1) if a == axis else (0, 0) for a in range(x.ndim)], mode="edge")
    sl = lambda s: tuple(s if a == axis else slice(None) for a in range(x.ndim))
    return (x > xp[sl(slice(0, -2))]) & (x >= xp[sl(slice(2, None))])


def piptrack(S, sr, fmin=150.0, fmax=4000.0, threshold=0.1):
    S = np.abs(S)
    n_fft = 2 * (S.shape[0] - 1)
    fmax = min(fmax, sr / 2)
    fft_freqs = np.fft.rfftfreq(n_fft, 1.0 / sr)
    avg = np.gradient(S, axis=0)
    a = S[2:] + S[:-2] - 2 * S[1:-1]
    b = (S[2:] - S[:-2]) / 2
    shift = np.zeros_like(S)
    with np.errstate(divide="ignore", invalid="ignore"):
        inner = np.where(np.abs(b) >= np.abs(a), 0.0, -b / a)
    shift[1:-1] = inner
    dskew = 0.5 * avg * shift
    pitches = np.zeros_like(S)
    mags = np.zeros_like(S)
    freq_mask = ((fmin <= fft_freqs) & (fft_freqs < fmax))[:, None]
    ref_value = threshold * np.max(S, axis=0)
    idx = np.nonzero(freq_mask & localmax(S * (S > ref_value)))
    pitches[idx] = (idx[0] + shift[idx]) * float(sr) / n_fft
    mags[idx] = S[idx] + dskew[idx]
    return pitches, mags


def estimate_tuning(S, sr, bins_per_octave=12, resolution=0.01):
    pitch, mag = piptrack(S, sr)
    pitch_mask = pitch > 0
    threshold = np.median(mag[pitch_mask]) if pitch_mask.any() else 0.0
    freqs = pitch[(mag >= threshold) & pitch_mask]
    freqs = freqs[freqs > 0]
    if not np.any(freqs):
        return 0.0
    residual = np.mod(bins_per_octave * hz_to_octs(freqs), 1.0)
    residual[residual >= 0.5] -= 1.0
    bins = np.linspace(-0.5, 0.5, int(np.ceil(1.0 / resolution)) + 1)
    counts, tuning = np.histogram(residual, bins)
    return tuning[np.argmax(counts)]


def chroma_filters(sr, n_fft, tuning, n_chroma=12, ctroct=5.0, octwidth=2):
    frequencies = np.linspace(0, sr, n_fft, endpoint=False)[1:]
    frqbins = n_chroma * hz_to_octs(frequencies, tuning=tuning, bins_per_octave=n_chroma)
    frqbins = np.concatenate(([frqbins[0] - 1.5 * n_chroma], frqbins))
    binwidthbins = np.concatenate((np.maximum(frqbins[1:] - frqbins[:-1], 1.0), [1]))
    D = np.subtract.outer(frqbins, np.arange(0, n_chroma, dtype="d")).T
    n_chroma2 = np.round(float(n_chroma) / 2)
    D = np.remainder(D + n_chroma2 + 10 * n_chroma, n_chroma) - n_chroma2
    wts = np.exp(-0.5 * (2 * D / np.tile(binwidthbins, (n_chroma, 1))) ** 2)
    wts = normalize(wts, 2, axis=0)
    wts *= np.tile(np.exp(-0.5 * (((frqbins / n_chroma - ctroct) / octwidth) ** 2)), (n_chroma, 1))
    wts = np.roll(wts, -3 * (n_chroma // 12), axis=0)
    return np.ascontiguousarray(wts[:, :int(1 + n_fft / 2)], dtype=np.float32)


def chroma_stft(S_power, sr):
    tuning = estimate_tuning(S_power, sr)
    n_fft = 2 * (S_power.shape[0] - 1)
    raw = chroma_filters(sr, n_fft, tuning) @ S_power
    return normalize(raw, np.inf, axis=0), tuning


def onset_strength(y, sr, n_fft=2048, hop=512):
    S = np.abs(stft(y, n_fft, hop, n_fft, "hann")) ** 2
    S = power_to_db(mel_filters(sr, n_fft, 128, 0.0, sr / 2, False, "slaney") @ S)
    env = np.maximum(0.0, S[:, 1:] - S[:, :-1]).mean(axis=0)
    env = np.pad(env, (1 + n_fft // (2 * hop), 0))
    return env[:S.shape[1]]


def tempo(env, sr, hop=512, win_length=384, start_bpm=120.0, max_tempo=320.0):
    n = len(env)
    ep = np.pad(env, win_length // 2, mode="linear_ramp", end_values=[0, 0])
    fr = frame_signal(ep, win_length, 1)[:, :n] * scipy.signal.get_window("hann", win_length, fftbins=True)[:, None]
    n_pad = scipy.fft.next_fast_len(2 * win_length - 1)
    ac = np.fft.irfft(np.abs(np.fft.rfft(fr, n=n_pad, axis=0)) ** 2, n=n_pad, axis=0)[:win_length]
    tg = normalize(ac, np.inf, axis=0).mean(axis=1)
    with np.errstate(divide="ignore"):
        bpms = np.concatenate(([np.inf], 60.0 * sr / (hop * np.arange(1.0, win_length))))
        logprior = -0.5 * ((np.log2(bpms) - np.log2(start_bpm)) / 1.0) ** 2
    logprior[:np.argmax(bpms < max_tempo)] = -np.inf
    return bpms[np.argmax(np.log1p(1e6 * tg) + logprior)]


# ---- The 1020-value hand-crafted vector (layout documented in src/AverLab.Media/Features/HandcraftedFeatures.cs) ----

def moments(x):
    x = np.asarray(x, dtype=np.float64)
    m = x.mean()
    d = x - m
    m2, m3, m4 = (d ** 2).mean(), (d ** 3).mean(), (d ** 4).mean()
    if m2 <= 1e-12 * max(1.0, m * m):   # scipy gives NaN for constant input; AverLab documents 0
        return [m, np.sqrt(m2), 0.0, 0.0]
    return [m, np.sqrt(m2), m3 / m2 ** 1.5, m4 / m2 ** 2 - 3]   # = scipy.stats.skew / kurtosis (biased, Fisher)


def beat_track(env, sr, bpm, hop=512, tightness=100.0):
    # librosa 0.10 beat.__beat_tracker: local score, DP, last beat, trim
    if not np.any(env) or bpm <= 0:
        return np.array([], dtype=int)
    period = round(60.0 * sr / hop / bpm)
    onsets = env / env.std(ddof=1) if env.std(ddof=1) > 0 else env
    window = np.exp(-0.5 * (np.arange(-period, period + 1) * 32.0 / period) ** 2)
    localscore = scipy.signal.convolve(onsets, window, "same")
    backlink = np.zeros_like(localscore, dtype=int)
    cumscore = np.zeros_like(localscore)
    win = np.arange(-2 * period, -np.round(period / 2) + 1, dtype=int)
    txwt = -tightness * (np.log(-win / period) ** 2)
    first_beat = True
    for i, score_i in enumerate(localscore):
        z_pad = np.maximum(0, min(-win[0], len(win)))
        candidates = txwt.copy()
        candidates[z_pad:] = candidates[z_pad:] + cumscore[win[z_pad:]]
        beat_location = np.argmax(candidates)
        cumscore[i] = score_i + candidates[beat_location]
        if first_beat and score_i < 0.01 * localscore.max():
            backlink[i] = -1
        else:
            backlink[i] = win[beat_location]
            first_beat = False
        win = win + 1
    maxes = localmax(cumscore)
    med_score = np.median(cumscore[np.argwhere(maxes)])
    tail = np.argwhere(cumscore * maxes * 2 > med_score).max()
    beats = [tail]
    while backlink[beats[-1]] >= 0:
        beats.append(backlink[beats[-1]])
    beats = np.array(beats[::-1], dtype=int)
    smooth_boe = scipy.signal.convolve(localscore[beats], scipy.signal.get_window("hann", 5, fftbins=False), "same")
    threshold = 0.5 * ((smooth_boe ** 2).mean() ** 0.5)
    valid = np.argwhere(smooth_boe > threshold)
    return beats[valid.min():valid.max()]


def hpss(S, kernel=31, power=2.0):
    import scipy.ndimage
    harm = scipy.ndimage.median_filter(S, size=(1, kernel), mode="reflect")
    perc = scipy.ndimage.median_filter(S, size=(kernel, 1), mode="reflect")
    Z = np.maximum(harm, perc)
    bad = Z < np.finfo(np.float32).tiny
    Z[bad] = 1
    mh, mp = (harm / Z) ** power, (perc / Z) ** power
    mask = np.where(bad, 0.0, mh / np.where(bad, 1, mh + mp))
    maskp = np.where(bad, 0.0, mp / np.where(bad, 1, mh + mp))
    return S * mask, S * maskp


def handcrafted(y, sr):
    x = y.astype(np.float64)
    v = moments(x)
    ax = np.abs(x)
    r = np.sqrt(np.mean(x * x))
    v += [x.min(), x.max(), ax.mean(), r, ax.max(), ax.max() / r, np.median(ax),
          np.sum((x[1:] < 0) != (x[:-1] < 0)) / (len(x) - 1)]
    S = magnitude(y)
    c, bw, ro, fl = spectral(S, sr)
    for f in (zcr(y), rms(y), c, bw, ro, fl):
        v += moments(f)
    for row in contrast(S, sr):
        v += moments(row)
    for row in chroma_stft(S.astype(np.float64) ** 2, sr)[0]:
        v += moments(row)
    mel = mel_filters(sr, 2048, 128, 0.0, sr / 2, False, "slaney") @ (np.abs(stft(y, 2048, 512, 2048, "hann")) ** 2)
    mel_db = power_to_db(mel)
    mfcc = scipy.fft.dct(mel_db, axis=-2, type=2, norm="ortho")[:40]
    for block in (mfcc, delta(mfcc, order=1), delta(mfcc, order=2)):
        for row in block:
            v += moments(row)
    env = onset_strength(y, sr)
    bpm = tempo(env, sr)
    beats = beat_track(env, sr, bpm)
    v += moments(env) + [env.max(), bpm, len(beats), len(beats) / (len(y) / sr)]
    H, P = hpss(S.astype(np.float64))
    eh, ep = (H ** 2).sum(axis=0), (P ** 2).sum(axis=0)
    share = np.where(eh + ep > 0, eh / np.where(eh + ep > 0, eh + ep, 1), 0.5)
    v += [H.mean(), P.mean(), share.mean(), share.std()]
    fb16 = mel_filters(sr, 2048, 16, 0.0, sr / 2, False, "slaney")
    for part in (H, P):
        v += list(power_to_db(fb16 @ part ** 2).mean(axis=1))
    for row in mel_db:
        v += [row.mean(), row.std(), row.max()]
    assert len(v) == 1020, len(v)
    return np.array(v), len(beats)


def spectral_fixture(y, path):
    S = magnitude(y)
    centroid, bandwidth, rolloff, flatness = spectral(S, SR)
    chroma, tuning = chroma_stft(S ** 2, SR)
    env = onset_strength(y, SR)
    out = {"rms": rms(y), "zcr": zcr(y), "centroid": centroid, "bandwidth": bandwidth, "rolloff": rolloff,
           "flatness": flatness, "contrast": contrast(S, SR), "chroma": chroma, "onset": env,
           "tuning": np.array([tuning]), "tempo": np.array([tempo(env, SR)])}
    out["handcrafted"], n_beats = handcrafted(y, SR)
    write_safetensors(path, {k: np.asarray(v, dtype=np.float32) for k, v in out.items()})
    print(f"  spectral: tuning {tuning:.2f} bins, tempo {out['tempo'][0]:.2f} BPM, {n_beats} beats; wrote {path} ({os.path.getsize(path)} bytes)")


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
            spectral_fixture(y, os.path.join(here, "media_spectral_0.safetensors"))
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
