# The hand-crafted MLP (exp.py's recipe) averaged over 5 seeds per fold; saves test/validation softmaxes to
# $WORK2/mlp5.npz for ens.py (MLPFILE=...). nice -n 19 /usr/bin/python3 mlp_seeds.py
import os; WORK2 = os.environ.get("WORK2", "/tmp/sp2")
exec(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "exp.py")).read())
save = {}
for f, (te, va) in enumerate(folds()):
    ite = np.isin(spk, te); iva = np.isin(spk, va); itr = ~(ite | iva)
    Xtr, Xva, Xte = standardize(X0[itr], X0[iva], X0[ite]); fs = [mlp_fit(Xtr, y[itr], Xva, y[iva], seed=s) for s in range(5)]
    save[f"mlp_te{f}"] = np.mean([g(Xte) for g in fs], 0); save[f"mlp_va{f}"] = np.mean([g(Xva) for g in fs], 0)
np.savez(WORK2 + "/mlp5.npz", **save); print("saved")
