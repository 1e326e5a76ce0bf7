import os; WORK = os.environ.get("WORK", "/tmp/sp")  # features exported by export.py (and export_aug.py)
exec(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'exp.py')).read())
ident = lambda X: X
run(ident, 'baseline')
run(ident, 'baseline 5 seeds', seeds=range(5))
# speaker-norm oracle for reference
def spknorm(X):
    Z = X.copy()
    for s in np.unique(spk):
        i = spk == s; Z[i] = (X[i] - X[i].mean(0)) / (X[i].std(0) + 1e-8)
    return Z
run(spknorm, 'speaker norm (reference)')
def gnorm(X):
    Z = X.copy()
    for g in (0, 1):
        i = gender == g; Z[i] = (X[i] - X[i].mean(0)) / (X[i].std(0) + 1e-8)
    return Z
run(gnorm, 'gender norm oracle (leaky stats)')
