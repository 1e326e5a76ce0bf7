import os; WORK = os.environ.get("WORK", "/tmp/sp")  # features exported by export.py (and export_aug.py)
exec(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'exp.py')).read())
def fit_fixed(Xtr, ytr, Xte, epochs, seed=0):
    return mlp_fit(Xtr, ytr, Xte[:2], np.zeros(2, int), seed=seed, epochs=epochs, patience=10**6)
for ntrain in (6, 8, 10):
    for ep in (20, 40):
        baccs = []
        for f in range(6):
            te = [2*f+1, 2*f+2]; others = [s for s in range(1, 13) if s not in te]
            rng = np.random.default_rng(f); tr = list(rng.permutation(others)[:ntrain])
            itr = np.isin(spk, tr); ite = np.isin(spk, te)
            Xtr, Xte = standardize(X0[itr], X0[ite])
            # mlp_fit picks the best val-loss epoch; with patience huge and a dummy val it just keeps... use last epoch:
            torch.manual_seed(0); r = np.random.default_rng(0)
            m = torch.nn.Sequential(torch.nn.Linear(1020, 256), torch.nn.ReLU(), torch.nn.Dropout(0.5), torch.nn.Linear(256, 8))
            opt = torch.optim.AdamW(m.parameters(), lr=1e-3, weight_decay=0.01)
            Xt = torch.tensor(Xtr, dtype=torch.float32); yt = torch.tensor(y[itr])
            for e in range(ep):
                m.train(); perm = r.permutation(len(Xt))
                for i in range(0, len(perm), 32):
                    b = perm[i:i+32]; opt.zero_grad(); torch.nn.functional.cross_entropy(m(Xt[b]), yt[b], label_smoothing=0.1).backward(); opt.step()
            m.eval(); p = m(torch.tensor(Xte, dtype=torch.float32)).argmax(1).numpy()
            baccs.append(balanced_accuracy_score(y[ite], p))
        print(f"train speakers {ntrain} epochs {ep}: bal {np.mean(baccs):.3f} ± {np.std(baccs):.3f}", flush=True)
