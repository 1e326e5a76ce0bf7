"""Python side of bench/compare-vision.sh: the seeds' way with cv2 (Debian python3-opencv 4.6).

Command: /usr/bin/python3 bench/vision_cv2.py VIDEO [--rounds N]
Per video: cv2.VideoCapture, keep the frames at 4 fps (frame index round(k * fps / 4); the others are grab()bed,
not converted), BGR->gray, CascadeClassifier(haarcascade_frontalface_default).detectMultiScale(gray, 1.1, 5,
minSize=(30, 30)), largest face, square crop with 20% margin (black padding), cv2.resize to 64x64 INTER_AREA.
`media.frames_faces_640` first resizes each kept frame to 640 wide (INTER_AREA). `media.frames_read` reads alone:
the kept frames retrieve()d and converted BGR->RGB (AverLab hands out RGB), no detection. Prints
`<name> python_cv2=<frames/s> unit=frames_per_s frames=<n> found=<n>`, best of N rounds after one warm-up.
"""
import sys
import time

import cv2
import numpy as np

CASCADE = "/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml"


def crop64(gray, box, margin=0.2, size=64):
    x, y, w, h = box
    side = max(1, int(round(max(w, h) * (1 + 2 * margin))))
    x0 = int(round(x + w / 2 - side / 2))
    y0 = int(round(y + h / 2 - side / 2))
    out = np.zeros((side, side), np.uint8)
    H, W = gray.shape
    sx0, sy0, sx1, sy1 = max(x0, 0), max(y0, 0), min(x0 + side, W), min(y0 + side, H)
    if sx1 > sx0 and sy1 > sy0:
        out[sy0 - y0:sy1 - y0, sx0 - x0:sx1 - x0] = gray[sy0:sy1, sx0:sx1]
    return cv2.resize(out, (size, size), interpolation=cv2.INTER_AREA)


def run(video, cascade, width, detect=True):
    cap = cv2.VideoCapture(video)
    fps = cap.get(cv2.CAP_PROP_FPS)
    frames = found = 0
    index, k = 0, 0
    next_index = 0
    while True:
        if not cap.grab():
            break
        if index == next_index:
            ok, frame = cap.retrieve()
            if not ok:
                break
            if width is not None:
                h = int(round(frame.shape[0] * width / frame.shape[1] / 2)) * 2
                frame = cv2.resize(frame, (width, h), interpolation=cv2.INTER_AREA)
            if not detect:
                cv2.cvtColor(frame, cv2.COLOR_BGR2RGB)
                frames += 1
                k += 1
                next_index = int(round(k * fps / 4))
                index += 1
                continue
            gray = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
            faces = cascade.detectMultiScale(gray, 1.1, 5, minSize=(30, 30))
            frames += 1
            if len(faces):
                box = max(faces, key=lambda f: f[2] * f[3])
                crop64(gray, box)
                found += 1
            k += 1
            next_index = int(round(k * fps / 4))
        index += 1
    cap.release()
    return frames, found


def main():
    video = sys.argv[1]
    rounds = int(sys.argv[sys.argv.index("--rounds") + 1]) if "--rounds" in sys.argv else 3
    cascade = cv2.CascadeClassifier(CASCADE)
    for name, width, detect in (("media.frames_read", None, False), ("media.frames_faces", None, True),
                                ("media.frames_faces_640", 640, True)):
        best = 0.0
        for r in range(rounds + 1):
            t = time.perf_counter()
            frames, found = run(video, cascade, width, detect)
            elapsed = time.perf_counter() - t
            if r > 0:
                best = max(best, frames / elapsed)
        print(f"{name} python_cv2={best:.2f} unit=frames_per_s frames={frames} found={found}")


if __name__ == "__main__":
    main()
