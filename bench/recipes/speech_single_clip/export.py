import os; WORK = os.environ.get("WORK", "/tmp/sp")  # features exported by export.py (and export_aug.py)
REPO = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", ".."))
import json, struct, hashlib, os, glob, numpy as np
cache = os.environ.get('HC_CACHE', REPO + '/experiments/.cache/handcrafted1020-c469f3cb1e0e828e')
ents = {}
for sh in sorted(glob.glob(cache + '/shard-*.safetensors')):
    b = open(sh, 'rb').read()
    n = struct.unpack('<Q', b[:8])[0]
    h = json.loads(b[8:8+n]); base = 8+n
    for k, v in h.items():
        if k == '__metadata__': continue
        s, e = v['data_offsets']
        assert v['dtype'] == 'F32'
        ents[k] = np.frombuffer(b[base+s:base+e], dtype=np.float32).reshape(v['shape'])
X, y, spk, paths = [], [], [], []
for f in sorted(glob.glob(os.environ.get('DATA', REPO + '/data/ravdess12') + '/Actor_*/*')):
    k = hashlib.sha256(open(f, 'rb').read()).hexdigest()
    if k not in ents: print('missing', f); continue
    parts = os.path.basename(f).split('.')[0].split('-')
    X.append(ents[k].ravel()); y.append(int(parts[2]) - 1); spk.append(int(parts[6])); paths.append(f)
X = np.stack(X); print(X.shape, np.bincount(y), sorted(set(spk)))
np.savez(WORK + '/hc.npz', X=X, y=np.array(y), spk=np.array(spk))
