# Decode the 720 RAVDESS clips to 16 kHz mono (ffmpeg) and cache 64-band log-mel spectrograms (25 ms window, 10 ms hop)
# of the first 4.5 s (padded with the clip's own floor) to $WORK2/mel.npz (default /tmp/sp2), with y, spk and the
# number of real frames. Run once: nice -n 19 /usr/bin/python3 prep_mel.py   (DATA= the ravdess12 folder)
import os, glob, subprocess, numpy as np, torch, torchaudio
torch.set_num_threads(1)
REPO = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", ".."))
DATA = os.environ.get("DATA", REPO + "/data/ravdess12"); WORK2 = os.environ.get("WORK2", "/tmp/sp2")
SR, T = 16000, 450
mel = torchaudio.transforms.MelSpectrogram(SR, n_fft=400, win_length=400, hop_length=160, n_mels=64, f_min=50, f_max=8000)
M, y, spk, n = [], [], [], []
for f in sorted(glob.glob(DATA + "/Actor_*/*")):
    raw = subprocess.run(["ffmpeg", "-v", "error", "-i", f, "-f", "f32le", "-ac", "1", "-ar", str(SR), "-"], capture_output=True, check=True).stdout
    w = torch.from_numpy(np.frombuffer(raw, dtype=np.float32).copy())
    L = torch.log(mel(w) + 1e-6)                       # (64, frames)
    k = min(L.shape[1], T); out = torch.full((64, T), L.min().item()); out[:, :k] = L[:, :k]
    parts = os.path.basename(f).split(".")[0].split("-")
    M.append(out.numpy().astype(np.float16)); y.append(int(parts[2]) - 1); spk.append(int(parts[6])); n.append(L.shape[1])
M = np.stack(M); print(M.shape, np.bincount(y), sorted(set(spk)), "frames min/median/max", min(n), int(np.median(n)), max(n))
os.makedirs(WORK2, exist_ok=True)
np.savez(WORK2 + "/mel.npz", M=M, y=np.array(y), spk=np.array(spk), n=np.array(n))
