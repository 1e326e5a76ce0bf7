"""Shift test-time augmentation for the shipped FER2013 package, tried on PublicTest (2026-12-08; bench/RESULTS.md).
The package's network in PyTorch (bench/models.py's FerVgg, its weights.safetensors), PublicTest's 3,589 JPEGs read
as the workbench reads them (grayscale, /255), and the class probabilities averaged over views: the face, its mirror
and copies shifted by 1 or 2 pixels (edge pixels repeated). Run: /usr/bin/python3 bench/recipes/fer2013_tta/tta.py
[FER2013 root, default ../shared/data/fer2013]."""
import sys, os, json, glob, numpy as np, torch, cv2
repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
sys.path.insert(0, os.path.join(repo, "tests", "golden")); sys.path.insert(0, os.path.join(repo, "bench"))
torch.set_num_threads(1)
from make_shipped_golden import read_safetensors
from models import FerVgg
pkg = os.path.join(repo, "models", "fer2013-face")
card = json.load(open(pkg + "/model.json"))
classes = card["classes"]; print(classes, card["options"])
m = FerVgg(len(classes), tuple(card["options"]["channels"])); m.load_state_dict(read_safetensors(pkg + "/weights.safetensors")); m.eval()
root = (sys.argv[1] if len(sys.argv) > 1 else os.path.join(repo, "..", "shared", "data", "fer2013")) + "/PublicTest"
X, y = [], []
names = sorted(os.listdir(root)); print(names)
for d in names:
    for f in sorted(glob.glob(f"{root}/{d}/*.jpg")):
        X.append(cv2.imread(f, cv2.IMREAD_GRAYSCALE).astype(np.float32) / 255); y.append(classes.index(d))
X = torch.tensor(np.stack(X))[:, None]; y = np.array(y); print(X.shape)
def probs(x):
    out = []
    with torch.no_grad():
        for i in range(0, len(x), 256): out.append(torch.softmax(m(x[i:i+256]), 1))
    return torch.cat(out).numpy()
def shift(x, dx, dy):
    p = torch.nn.functional.pad(x, (2, 2, 2, 2), mode="replicate")
    return p[:, :, 2+dy:2+dy+48, 2+dx:2+dx+48]
P = {}
P["id"] = probs(X); P["flip"] = probs(X.flip(3))
for s in (1, 2):
    for dx, dy in ((s,0),(-s,0),(0,s),(0,-s)):
        P[f"s{dx},{dy}"] = probs(shift(X, dx, dy)); P[f"fs{dx},{dy}"] = probs(shift(X.flip(3), dx, dy))
def acc(keys): 
    p = sum(P[k] for k in keys).argmax(1); return (p == y).mean()
print("id", acc(["id"]), "flip avg", acc(["id","flip"]))
for s in (1,2):
    sh = [f"s{dx},{dy}" for dx,dy in ((s,0),(-s,0),(0,s),(0,-s))]
    print(s, "shifts", acc(["id"]+sh), "shifts+flip", acc(["id","flip"]+sh+["f"+k for k in sh]))
all_ = list(P.keys()); print("all", acc(all_))
