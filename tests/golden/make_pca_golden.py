"""Golden values for AverLab.FrontEnds.PcaProjection from scikit-learn's PCA (Debian python3-sklearn 1.2.1).

Command (from the repository root):  /usr/bin/python3 tests/golden/make_pca_golden.py
Writes tests/golden/pca.safetensors: x (40 x 8, float32: three latent factors mixed into 8 features plus noise,
features on different scales) and, for each case NAME (components3: n_components=3; variance90: n_components=0.9;
wide: 6 rows of x, n_components=5, fewer rows than features), NAME.mean, NAME.components (k x 8),
NAME.explained_variance_ratio and NAME.transformed (the case's rows projected), all float64. PCA's components are
unique up to sign; sklearn picks it by svd_flip on U, AverLab makes each component's largest-magnitude entry
positive, so this script flips sklearn's components (and transformed columns) to that convention.
Tolerance in the C# test: 1e-4 (AverLab's projection is stored in float32).
"""
from pathlib import Path

import numpy as np
import torch
from sklearn.decomposition import PCA

from safetensors_io import save


def main():
    rng = np.random.default_rng(18)
    z = rng.normal(size=(40, 3)) * np.array([3.0, 1.5, 0.7])
    a = rng.normal(size=(3, 8))
    x = (z @ a + 0.1 * rng.normal(size=(40, 8))) * np.array([1, 2, 0.5, 10, 1, 3, 1, 0.2]) + np.arange(8)
    x = x.astype(np.float32)
    tensors = {"x": torch.from_numpy(x)}
    for name, rows, n in [("components3", x, 3), ("variance90", x, 0.9), ("wide", x[:6], 5)]:
        pca = PCA(n_components=n, svd_solver="full").fit(rows.astype(np.float64))
        comps = pca.components_.copy()
        signs = np.sign(comps[np.arange(len(comps)), np.abs(comps).argmax(1)])
        comps *= signs[:, None]
        transformed = (rows.astype(np.float64) - pca.mean_) @ comps.T
        tensors[f"{name}.mean"] = torch.from_numpy(pca.mean_)
        tensors[f"{name}.components"] = torch.from_numpy(comps)
        tensors[f"{name}.explained_variance_ratio"] = torch.from_numpy(pca.explained_variance_ratio_)
        tensors[f"{name}.transformed"] = torch.from_numpy(transformed)
        print(name, pca.n_components_, np.round(pca.explained_variance_ratio_, 4))
    out = Path(__file__).resolve().parent / "pca.safetensors"
    save(str(out), tensors, {"sklearn": __import__("sklearn").__version__})
    print("wrote", out)


if __name__ == "__main__":
    main()
