import os; WORK = os.environ.get("WORK", "/tmp/sp")  # features exported by export.py (and export_aug.py)
exec(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'exp.py')).read())
from sklearn.svm import SVC
from sklearn.linear_model import LogisticRegression
def svm_fit(Xtr, ytr, Xva, yva, seed=0, C=1.0, gamma='scale'):
    m = SVC(C=C, gamma=gamma, probability=False).fit(Xtr, ytr)
    return lambda Z: np.eye(8)[m.predict(Z)]
def lr_fit(Xtr, ytr, Xva, yva, seed=0, C=0.01):
    m = LogisticRegression(C=C, max_iter=2000).fit(Xtr, ytr)
    return lambda Z: m.predict_proba(Z)
ident = lambda X: X
for C in (1, 3, 10): run(ident, f'svm C={C}', fitter=svm_fit, C=C)
for C in (0.003, 0.01, 0.03): run(ident, f'logreg C={C}', fitter=lr_fit, C=C)
groups = {'wave':(0,12),'frame':(12,36),'contrast':(36,64),'chroma':(64,112),'mfcc':(112,272),'dmfcc':(272,432),'ddmfcc':(432,592),'onset':(592,600),'hpss':(600,636),'mel':(636,1020)}
for g,(a,b) in groups.items():
    keep = np.r_[0:a, b:1020]
    run(lambda X, keep=keep: X[:, keep], f'drop {g}')
