import os; WORK = os.environ.get("WORK", "/tmp/sp")  # features exported by export.py (and export_aug.py)
exec(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'exp.py')).read())
A = np.load(WORK + '/aug.npz'); augs = [A[k].astype(np.float64) for k in A.files]; print(A.files)
# order check: the aug files are sorted by Actor/name like hc.npz (which sorted data/ravdess12 Actor_*/* with flac/wav) - same stems
def run_aug(name, seeds=(0,), use=None):
    use = augs if use is None else use
    baccs = []; accs = []
    for te, va in folds():
        ite = np.isin(spk, te); iva = np.isin(spk, va); itr = ~(ite | iva)
        Xtr = np.concatenate([X0[itr]] + [a[itr] for a in use]); ytr = np.concatenate([y[itr]] * (1 + len(use)))
        Xtr, Xva, Xte = standardize(Xtr, X0[iva], X0[ite])
        P = sum(mlp_fit(Xtr, ytr, Xva, y[iva], seed=s)(Xte) for s in seeds); p = P.argmax(1)
        accs.append((p == y[ite]).mean()); baccs.append(balanced_accuracy_score(y[ite], p))
    print(f"{name:40s} acc {np.mean(accs):.3f} ± {np.std(accs):.3f}  bal {np.mean(baccs):.3f}", flush=True)
run(lambda X: X, 'baseline')
run_aug('aug all')
for i, k in enumerate(A.files): run_aug(f'aug {k}', use=[augs[i]])
run_aug('aug all 5 seeds', seeds=range(5))
