import os; WORK = os.environ.get("WORK", "/tmp/sp")  # features exported by export.py (and export_aug.py)
exec(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'exp.py')).read())
def run_nap(name, k, seeds=(0,), emo_balanced=False):
    accs, baccs = [], []
    for te, va in folds():
        ite = np.isin(spk, te); iva = np.isin(spk, va); itr = ~(ite | iva)
        Xtr, Xva, Xte = standardize(X0[itr], X0[iva], X0[ite])
        # speaker means (over all of each training speaker's clips: same emotion mix per speaker in RAVDESS)
        M = np.stack([Xtr[spk[itr] == s].mean(0) for s in np.unique(spk[itr])]); M = M - M.mean(0)
        U = np.linalg.svd(M, full_matrices=False)[2][:k].T
        P = lambda Z: Z - (Z @ U) @ U.T
        f = mlp_fit(P(Xtr), y[itr], P(Xva), y[iva], seed=0)
        Pr = sum(mlp_fit(P(Xtr), y[itr], P(Xva), y[iva], seed=s)(P(Xte)) for s in seeds); p = Pr.argmax(1)
        accs.append((p == y[ite]).mean()); baccs.append(balanced_accuracy_score(y[ite], p))
    print(f"{name:40s} acc {np.mean(accs):.3f} ± {np.std(accs):.3f}  bal {np.mean(baccs):.3f}", flush=True)
for k in (1, 2, 3, 5, 7): run_nap(f'NAP k={k}', k)
