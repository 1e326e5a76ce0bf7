"""Golden values for AverLab.Media's images and Haar faces from Python's cv2 (Debian python3-opencv 4.6.0).

Command (from the repository root):  /usr/bin/python3 tests/golden/vision_cv2.py
Writes tests/golden/vision_cv2.safetensors (about 30 KB). Inputs: Debian's real photos
  messi5.jpg   (opencv-doc)      /usr/share/doc/opencv-doc/examples/data/messi5.jpg
  astronaut.png (python3-skimage) /usr/lib/python3/dist-packages/skimage/data/astronaut.png
Parameters, as a researcher would call cv2:
  gray = cv2.cvtColor(cv2.imread(path), cv2.COLOR_BGR2GRAY)
  cv2.CascadeClassifier(haarcascade_frontalface_default.xml).detectMultiScale(gray, 1.1, 5, minSize=(30, 30))
  cv2.resize(gray, (64, 64), interpolation=cv2.INTER_AREA); cv2.resize(rgb, (48, 40), interpolation=cv2.INTER_LINEAR)
  cv2.warpAffine(area64, cv2.getRotationMatrix2D((32, 32), 20, 1.0), (64, 64)) (bilinear, constant 0 border)
  rgb = cv2.cvtColor(cv2.imread(messi), cv2.COLOR_BGR2RGB)[100:132, 200:232] (a decoded JPEG patch)
AverLab calls the same libopencv, so the C# tests expect these bit for bit (tolerance 0).
Needs: bash scripts/setup.sh --bench (python3-opencv). The safetensors file is written with numpy only.
"""
import json
import struct
from pathlib import Path

import cv2
import numpy as np

MESSI = "/usr/share/doc/opencv-doc/examples/data/messi5.jpg"
ASTRONAUT = "/usr/lib/python3/dist-packages/skimage/data/astronaut.png"
CASCADE = "/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml"
OUT = Path(__file__).resolve().parent / "vision_cv2.safetensors"


def save_safetensors(path, tensors):
    dtypes = {np.dtype(np.uint8): "U8", np.dtype(np.int32): "I32", np.dtype(np.float64): "F64"}
    header, blobs, offset = {}, [], 0
    for name, array in tensors.items():
        data = np.ascontiguousarray(array).tobytes()
        header[name] = {"dtype": dtypes[array.dtype], "shape": list(array.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    header["__metadata__"] = {"source": "tests/golden/vision_cv2.py", "opencv": cv2.__version__}
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


def main():
    cascade = cv2.CascadeClassifier(CASCADE)
    out = {}
    for name, path in (("messi", MESSI), ("astronaut", ASTRONAUT)):
        gray = cv2.cvtColor(cv2.imread(path), cv2.COLOR_BGR2GRAY)
        faces = cascade.detectMultiScale(gray, 1.1, 5, minSize=(30, 30))
        out[f"{name}_haar"] = np.asarray(faces, dtype=np.int32).reshape(-1, 4)
    astro_bgr = cv2.imread(ASTRONAUT)
    astro_rgb = cv2.cvtColor(astro_bgr, cv2.COLOR_BGR2RGB)
    astro_gray = cv2.cvtColor(astro_bgr, cv2.COLOR_BGR2GRAY)
    area64 = cv2.resize(astro_gray, (64, 64), interpolation=cv2.INTER_AREA)
    out["astronaut_gray_area64"] = area64
    out["astronaut_rgb_linear_48x40"] = cv2.resize(astro_rgb, (48, 40), interpolation=cv2.INTER_LINEAR)
    m = cv2.getRotationMatrix2D((32, 32), 20, 1.0)
    out["rotation_matrix"] = m.astype(np.float64)
    out["astronaut_area64_rot20"] = cv2.warpAffine(area64, m, (64, 64))
    out["messi_rgb_patch"] = np.ascontiguousarray(cv2.cvtColor(cv2.imread(MESSI), cv2.COLOR_BGR2RGB)[100:132, 200:232])
    save_safetensors(OUT, out)
    for k, v in out.items():
        print(k, v.dtype, v.shape, v.reshape(-1)[:8].tolist())


if __name__ == "__main__":
    main()
