import os; WORK = os.environ.get("WORK", "/tmp/sp")  # features exported by export.py (and export_aug.py)
import numpy as np, torch, sys, itertools
from sklearn.metrics import balanced_accuracy_score
torch.set_num_threads(1)
d = np.load(WORK + '/hc.npz'); X0, y, spk = d['X'].astype(np.float64), d['y'], d['spk']
gender = spk % 2  # odd male
def mlp_fit(Xtr, ytr, Xva, yva, seed=0, hidden=256, drop=0.5, epochs=60, wd=0.01, ls=0.1, patience=15, lr=1e-3):
    torch.manual_seed(seed); rng = np.random.default_rng(seed)
    m = torch.nn.Sequential(torch.nn.Linear(Xtr.shape[1], hidden), torch.nn.ReLU(), torch.nn.Dropout(drop), torch.nn.Linear(hidden, 8))
    opt = torch.optim.AdamW(m.parameters(), lr=lr, weight_decay=wd)
    Xt = torch.tensor(Xtr, dtype=torch.float32); yt = torch.tensor(ytr); Xv = torch.tensor(Xva, dtype=torch.float32); yv = torch.tensor(yva)
    best, bstate, wait = 1e9, None, 0
    for ep in range(epochs):
        m.train(); perm = rng.permutation(len(Xt))
        for i in range(0, len(perm), 32):
            b = perm[i:i+32]; opt.zero_grad()
            torch.nn.functional.cross_entropy(m(Xt[b]), yt[b], label_smoothing=ls).backward(); opt.step()
        m.eval()
        with torch.no_grad(): vl = torch.nn.functional.cross_entropy(m(Xv), yv).item()
        if vl < best: best, bstate, wait = vl, {k: v.clone() for k, v in m.state_dict().items()}, 0
        else:
            wait += 1
            if wait > patience: break
    m.load_state_dict(bstate); m.eval()
    return lambda Z: torch.softmax(m(torch.tensor(Z, dtype=torch.float32)), 1).detach().numpy()
def folds():
    for f in range(6):
        te = [2*f+1, 2*f+2]; va = [(2*f+2) % 12 + 1, (2*f+3) % 12 + 1]
        yield te, va
def standardize(tr, *others):
    mu, sd = tr.mean(0), tr.std(0) + 1e-8
    return [(tr - mu)/sd] + [(o - mu)/sd for o in others]
def run(prep, name, seeds=(0,), fitter=mlp_fit, **kw):
    accs, baccs = [], []; allp = np.zeros(len(y), int)
    for te, va in folds():
        Xp = prep(X0)
        ite = np.isin(spk, te); iva = np.isin(spk, va); itr = ~(ite | iva)
        Xtr, Xva, Xte = standardize(Xp[itr], Xp[iva], Xp[ite])
        P = sum(fitter(Xtr, y[itr], Xva, y[iva], seed=s, **kw)(Xte) for s in seeds)
        p = P.argmax(1); allp[ite] = p
        accs.append((p == y[ite]).mean()); baccs.append(balanced_accuracy_score(y[ite], p))
    print(f"{name:40s} acc {np.mean(accs):.3f} ± {np.std(accs):.3f}  bal {np.mean(baccs):.3f}  pooled bal {balanced_accuracy_score(y, allp):.3f}", flush=True)
    return np.mean(baccs)
