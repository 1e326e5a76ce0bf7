#!/usr/bin/python3
"""torchaudio side of media.mfcc: MFCC of the bench clips with the CNN+Transformer seed's settings on one thread.

Command: /usr/bin/python3 bench/media/mfcc_torchaudio.py <clips.f32>   (clips written by AverLab.Bench.Media export)
Settings: torchaudio.transforms.MFCC(sample_rate=48000, n_mfcc=40, dct_type=2, norm='ortho', log_mels=False,
melkwargs: n_fft=1024, win_length=512, hop_length=512, window_fn=torch.hamming_window, n_mels=128, f_max=24000,
center=True, pad_mode='constant', power=2, norm='slaney', mel_scale='slaney'). torch.set_num_threads(1); 3 warm-up
passes, then the median of 7 timed passes over all clips. Prints "media.mfcc pytorch=<ms per clip>".
"""
import sys
import time

import numpy as np
import torch
import torchaudio

torch.set_num_threads(1)
clips = np.fromfile(sys.argv[1], dtype=np.float32).reshape(-1, 144000)
xs = [torch.from_numpy(c.copy()) for c in clips]
mfcc = torchaudio.transforms.MFCC(
    sample_rate=48000, n_mfcc=40, dct_type=2, norm="ortho", log_mels=False,
    melkwargs=dict(n_fft=1024, win_length=512, hop_length=512, window_fn=torch.hamming_window, n_mels=128,
                   f_min=0.0, f_max=24000.0, center=True, pad_mode="constant", power=2.0, norm="slaney",
                   mel_scale="slaney"))
with torch.inference_mode():
    assert tuple(mfcc(xs[0]).shape) == (40, 282)
    for _ in range(3):
        for x in xs:
            mfcc(x)
    per_clip = []
    for _ in range(7):
        t0 = time.perf_counter()
        for x in xs:
            mfcc(x)
        per_clip.append((time.perf_counter() - t0) * 1000 / len(xs))
print(f"media.mfcc pytorch={sorted(per_clip)[3]:.4f} unit=ms clips={len(xs)}")
