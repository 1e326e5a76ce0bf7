# Combine saved runs of cnn.py: python3 ens.py base s1 s2 ...  averages the CNN softmaxes of the named runs
# ($WORK2/probs_<name>.npz), then reports CNN alone, MLP (seed 0) alone, the 50/50 average with the MLP, and the
# weight w (CNN share, 0..1 step 0.1) chosen per fold on that fold's validation actors' balanced accuracy.
import os, sys, numpy as np
from sklearn.metrics import balanced_accuracy_score as bal
WORK2 = os.environ.get("WORK2", "/tmp/sp2"); y = np.load(WORK2 + "/mel.npz")["y"]; spk = np.load(WORK2 + "/mel.npz")["spk"]
R = [np.load(f"{WORK2}/probs_{n}.npz") for n in sys.argv[1:]]
K = os.environ.get("KEY", "cnn")        # KEY=cnnT: the 5-crop test-time average (runs made after it was added)
MLPF = os.environ.get("MLPFILE")        # MLPFILE=/tmp/sp2/mlp5.npz: the 5-seed MLP average (mlp_seeds.py) instead of seed 0
out = {"cnn": [], "mlp": [], "ens50": [], "ensval": []}; ws = []; vb = {"cnn": [], "ens50": []}
for f in range(6):
    te = [2*f+1, 2*f+2]; va = [(2*f+2) % 12 + 1, (2*f+3) % 12 + 1]; ite = np.isin(spk, te); iva = np.isin(spk, va)
    C = np.mean([r[f"{K}_te{f}"] for r in R], 0); Cv = np.mean([r[f"{K}_va{f}"] for r in R], 0)
    Mf = np.load(MLPF) if MLPF else R[0]; Mt, Mv = Mf[f"mlp_te{f}"], Mf[f"mlp_va{f}"]
    w = max(np.arange(0, 1.01, 0.1), key=lambda w: bal(y[iva], (w * Cv + (1 - w) * Mv).argmax(1))); ws.append(round(w, 1))
    vb["cnn"].append(bal(y[iva], Cv.argmax(1))); vb["ens50"].append(bal(y[iva], (Cv + Mv).argmax(1)))
    for k, P in (("cnn", C), ("mlp", Mt), ("ens50", (C + Mt) / 2), ("ensval", w * C + (1 - w) * Mt)):
        p = P.argmax(1); out[k].append(((p == y[ite]).mean(), bal(y[ite], p)))
for k, v in out.items():
    v = np.array(v); print(f"{'+'.join(sys.argv[1:]):30s} {k:6s}: acc {v[:, 0].mean():.3f} ± {v[:, 0].std():.3f}  bal {v[:, 1].mean():.3f} ± {v[:, 1].std():.3f}  per fold bal {np.round(v[:, 1], 2)}")
print("val-chosen CNN weights per fold:", ws)
print("validation actors (selection only): cnn bal %.3f  ens50 bal %.3f" % (np.mean(vb["cnn"]), np.mean(vb["ens50"])))
