# Learned single-clip model: a small 2-D CNN on 64-band log-mel (16 kHz, 10 ms hop, 3 s window from 0.5 s like the
# MLP's features), per-utterance normalisation (mean/variance per mel band over the clip's own frames: the single-clip
# analogue of speaker norm), SpecAugment, random time shift, optional mixup; early stopping on the validation actors'
# loss; and the ensemble with the hand-crafted MLP (exp.py's mlp_fit on hc.npz, same folds, softmax averaged).
# Same protocol as exp.py: 6 folds, test actors [2f+1, 2f+2], validation the next two, 8 train; mean over folds.
# Needs $WORK/hc.npz (export.py) and $WORK2/mel.npz (prep_mel.py). Run on the shared 2-core VM:
#   nice -n 19 /usr/bin/python3 cnn.py --name base --seeds 0           (add --norm none / --mixup 0.2 / --specaug 0 ...)
# Test-time: cnn_tta / ens_tta also average 5 crops (0.5 s ± shift/2, ± shift). Each run writes per-fold test and validation
# softmaxes to $WORK2/probs_<name>.npz; ens.py combines saved runs.
import os, sys, time, argparse, numpy as np, torch, torch.nn as nn, torch.nn.functional as F
WORK2 = os.environ.get("WORK2", "/tmp/sp2")
exec(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "exp.py")).read())   # X0, y, spk, mlp_fit, folds, standardize
ap = argparse.ArgumentParser()
ap.add_argument("--name", required=True); ap.add_argument("--seeds", type=int, nargs="+", default=[0])
ap.add_argument("--norm", default="utt", choices=["utt", "none"])
ap.add_argument("--ch", type=int, nargs=4, default=[16, 32, 64, 64]); ap.add_argument("--drop", type=float, default=0.3)
ap.add_argument("--specaug", type=int, default=1); ap.add_argument("--mixup", type=float, default=0.0)
ap.add_argument("--shift", type=int, default=30, help="train crops start 0.5 s ± shift x 10 ms")
ap.add_argument("--epochs", type=int, default=40); ap.add_argument("--patience", type=int, default=10)
ap.add_argument("--lr", type=float, default=1e-3); ap.add_argument("--wd", type=float, default=0.01)
ap.add_argument("--pool", type=int, default=2, help="average-pool the log-mel by this in mel and time (2: 32 bands, 20 ms)")
ap.add_argument("--folds", type=int, nargs="+", default=list(range(6))); ap.add_argument("--time", action="store_true")
a = ap.parse_args()
d = np.load(WORK2 + "/mel.npz"); M = d["M"].astype(np.float32); n = d["n"]
assert (d["y"] == y).all() and (d["spk"] == spk).all()
P_ = a.pool; T0, W, SH, NB = 50 // P_, 300 // P_, a.shift // P_, 64 // P_
if P_ > 1: M = M.reshape(len(M), NB, P_, -1, P_).mean((2, 4)); n = n // P_
if a.norm == "utt":                       # per clip, per mel band, over the clip's real frames (nothing from other clips)
    for i in range(len(M)):
        r = M[i, :, :min(n[i], M.shape[2])]; M[i] = (M[i] - r.mean(1, keepdims=True)) / (r.std(1, keepdims=True) + 1e-5)

class CNN(nn.Module):
    def __init__(s, ch, drop):
        super().__init__(); L = []; c0 = 1
        for c in ch: L += [nn.Conv2d(c0, c, 3, padding=1, bias=False), nn.BatchNorm2d(c), nn.ReLU(), nn.MaxPool2d(2)]; c0 = c
        s.f = nn.Sequential(*L); s.drop = nn.Dropout(drop); s.out = nn.Linear(2 * c0, 8)
    def forward(s, x):                    # x (B, bands, T)
        h = s.f(x[:, None]).mean(2)       # (B, C, T') : average over frequency
        return s.out(s.drop(torch.cat([h.mean(2), h.amax(2)], 1)))

def specaug(x, rng):
    x = x.clone()
    for b in range(len(x)):
        for _ in range(2):
            w = rng.integers(0, NB // 8 + 1); f0 = rng.integers(0, NB - w); x[b, f0:f0 + w] = 0
        for _ in range(2):
            w = rng.integers(0, W // 10 + 1); t0 = rng.integers(0, W - w); x[b, :, t0:t0 + w] = 0
    return x

def cnn_fit(itr, iva, seed):
    torch.manual_seed(seed); rng = np.random.default_rng(seed)
    if a.norm == "none":                  # global standardisation with the training clips' per-band stats
        mu = M[itr][:, :, T0:T0 + W].mean((0, 2))[:, None]; sd = M[itr][:, :, T0:T0 + W].std((0, 2))[:, None] + 1e-5
    else: mu, sd = 0.0, 1.0
    Xtr = torch.tensor((M[itr] - mu) / sd); ytr = torch.tensor(y[itr])
    Xva = torch.tensor((M[iva][:, :, T0:T0 + W] - mu) / sd); yva = torch.tensor(y[iva])
    m = CNN(a.ch, a.drop); opt = torch.optim.AdamW(m.parameters(), lr=a.lr, weight_decay=a.wd)
    best, bstate, wait = 1e9, None, 0
    for ep in range(a.epochs):
        t = time.time(); m.train(); perm = rng.permutation(len(Xtr))
        for i in range(0, len(perm), 32):
            b = perm[i:i + 32]
            st = rng.integers(T0 - SH, T0 + SH + 1, len(b)) if SH else np.full(len(b), T0)
            xb = torch.stack([Xtr[j, :, s:s + W] for j, s in zip(b, st)]); yb = F.one_hot(ytr[b], 8).float()
            if a.specaug: xb = specaug(xb, rng)
            if a.mixup > 0:
                lam = rng.beta(a.mixup, a.mixup); p = torch.randperm(len(b)); xb = lam * xb + (1 - lam) * xb[p]; yb = lam * yb + (1 - lam) * yb[p]
            opt.zero_grad(); loss = F.cross_entropy(m(xb), yb * 0.9 + 0.1 / 8); loss.backward(); opt.step()
        m.eval()
        with torch.no_grad(): vl = F.cross_entropy(m(Xva), yva).item()
        if a.time: print(f"  ep {ep} {time.time() - t:.1f}s val loss {vl:.3f}", flush=True)
        if vl < best: best, bstate, wait, bep = vl, {k: v.clone() for k, v in m.state_dict().items()}, 0, ep
        else:
            wait += 1
            if wait > a.patience: break
    m.load_state_dict(bstate); m.eval()
    def pred(idx, starts=(T0,)):           # starts: test-time crops, softmax averaged
        with torch.no_grad(): return np.mean([torch.softmax(m(torch.tensor((M[idx][:, :, s:s + W] - mu) / sd)), 1).numpy() for s in starts], 0)
    return pred, bep

t0 = time.time(); R = {"cnn": [], "cnn_tta": [], "mlp": [], "ens": [], "ens_tta": []}; save = {}
for f, (te, va) in enumerate(folds()):
    if f not in a.folds: continue
    ite = np.isin(spk, te); iva = np.isin(spk, va); itr = ~(ite | iva)
    Pc, Vc, PT, VT, eps = 0, 0, 0, 0, []
    for s in a.seeds:
        pr, bep = cnn_fit(np.where(itr)[0], np.where(iva)[0], s); Pc = Pc + pr(ite) / len(a.seeds); Vc = Vc + pr(iva) / len(a.seeds); eps.append(bep)
        tta = [T0 + k * SH // 2 for k in (-2, -1, 0, 1, 2)]; PT = PT + pr(ite, tta) / len(a.seeds); VT = VT + pr(iva, tta) / len(a.seeds)
    Xtr, Xva, Xte = standardize(X0[itr], X0[iva], X0[ite]); mf = mlp_fit(Xtr, y[itr], Xva, y[iva], seed=0)
    Pm, Vm = mf(Xte), mf(Xva)
    save[f"te{f}"] = ite; save[f"cnn_te{f}"] = Pc; save[f"cnn_va{f}"] = Vc; save[f"cnnT_te{f}"] = PT; save[f"cnnT_va{f}"] = VT; save[f"mlp_te{f}"] = Pm; save[f"mlp_va{f}"] = Vm
    for k, P in (("cnn", Pc), ("cnn_tta", PT), ("mlp", Pm), ("ens", (Pc + Pm) / 2), ("ens_tta", (PT + Pm) / 2)):
        p = P.argmax(1); R[k].append(((p == y[ite]).mean(), balanced_accuracy_score(y[ite], p)))
    print(f"fold {f} test {te} val {va}: best epochs {eps}  cnn bal {R['cnn'][-1][1]:.3f}  mlp bal {R['mlp'][-1][1]:.3f}  ens bal {R['ens'][-1][1]:.3f}  ({time.time() - t0:.0f}s)", flush=True)
np.savez(f"{WORK2}/probs_{a.name}.npz", **save)
for k, v in R.items():
    v = np.array(v); print(f"{a.name:24s} {k}: acc {v[:, 0].mean():.3f} ± {v[:, 0].std():.3f}  bal {v[:, 1].mean():.3f} ± {v[:, 1].std():.3f}")
print(f"wall {time.time() - t0:.0f}s  args {vars(a)}")
