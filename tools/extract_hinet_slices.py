#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Builds HiNet's training and held-out images from the committed data list tools/hinet_data.json.

Every entry of the list names a file that a Debian package installs (mricron-data, python3-pydicom,
python3-skimage, insighttoolkit5-examples, python3-dipy, python3-nibabel, gnome-backgrounds), the modality
it stands for, and whether it is trained on or held out. The split is by volume (or single image): nothing
held out is ever trained on, and no scikit-image sample image is trained on.

OUT/train/MODALITY/        8-bit images train_hinet samples crops from (volumes: one PNG per slice; CT:
                           one PNG per display window, since 8-bit training data cannot hold 12 bits);
                           train_hinet draws a modality folder with probability ∝ √(its images)
OUT/heldout/               every usable NatBrainLab slice (256² or 512²), as before (bench/evaluate.sh; the
                           entry marked heldout_slices)
OUT/heldout-other/         the two fundus photographs, as before (bench/evaluate.sh --other)
OUT/heldout-val/           train_hinet's validation set: every 4th NatBrainLab slice plus an 8-bit copy of
                           every other held-out image or evaluated slice (train_hinet resizes them to
                           --val-size)
OUT/heldout-modalities/MODALITY/NAME.png
                           hinet_eval --modalities: held-out images at native size and bit depth (16-bit
                           DICOM stored values shifted to start at 0, so the data range is kept); a
                           modality named synthetic-* is a test pattern, reported apart from the targets
Slices with less than 15 % foreground (an entry's min_foreground) are skipped. Deterministic: no randomness,
files sorted; rerunning gives byte-identical PNGs.

Usage: /usr/bin/python3 tools/extract_hinet_slices.py [OUT_DIR] [--list FILE]
"""
import json
import os
import shutil
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from extract_corpus import axial, coronal, to_square  # noqa: E402
from skimage.transform import resize  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
SKIMAGE = "/usr/lib/python3/dist-packages/skimage/data"


def resolve(path):
    if path.startswith("skimage:"):
        return os.path.join(SKIMAGE, path[len("skimage:"):])
    if path.startswith("pydicom:"):
        import pydicom
        return os.path.join(os.path.dirname(pydicom.__file__), "data", "test_files", path[len("pydicom:"):])
    return path


def load_volume(path):
    import nibabel
    vol = np.asarray(nibabel.load(path).dataobj, dtype=np.float64)
    while vol.ndim > 3:  # 4-D series: the first volume
        vol = vol[..., 0]
    return vol


def volume_slices(entry):
    """8-bit slices of a volume, normalised to its 99.8th percentile, as (name, image) pairs."""
    vol = load_volume(entry["path"])
    out = []
    hi = float(np.percentile(vol, 99.8))
    step = entry.get("step", 1)
    for axis in entry.get("axes", ["ax"]):
        fn = axial if axis == "ax" else coronal
        n = vol.shape[2] if axis == "ax" else vol.shape[1]
        for i in range(0, n, step):
            s = fn(vol, i)
            if (s > hi * 0.05).mean() < entry.get("min_foreground", 0.15):
                continue
            img = np.clip(np.rint(s / hi * 255), 0, 255).astype(np.uint8)
            sq = to_square(img)
            if sq.shape[0] >= 160:  # the template volumes: 256² or 512², as the earlier releases trained
                size = 256 if sq.shape[0] <= 320 else 512
                sq = np.clip(np.rint(resize(sq.astype(np.float64), (size, size), order=3,
                                            preserve_range=True, anti_aliasing=False)), 0, 255).astype(np.uint8)
            out.append((f"{entry['name']}_{axis}{i:03d}", sq))
    return out


def grey(path, max_side=0):
    from PIL import Image
    with Image.open(path) as im:
        im = im.convert("RGB") if im.mode not in ("L", "I;16", "I") else im
        img = np.asarray(im).astype(np.float64)
    if img.ndim == 3:
        img = img[..., :3] @ np.array([0.299, 0.587, 0.114])
    img = np.clip(np.rint(img), 0, 255)
    if max_side and max(img.shape) > max_side:
        f = max_side / max(img.shape)
        shape = (int(round(img.shape[0] * f)), int(round(img.shape[1] * f)))
        img = np.clip(np.rint(resize(img, shape, order=1, preserve_range=True, anti_aliasing=True)), 0, 255)
    return img.astype(np.uint8)


def dicom_values(path):
    import pydicom
    ds = pydicom.dcmread(path)
    a = ds.pixel_array.astype(np.float64)
    while a.ndim > 2:
        a = a[0]
    return a, float(getattr(ds, "RescaleSlope", 1) or 1), float(getattr(ds, "RescaleIntercept", 0) or 0)


def dicom_windows(entry):
    """8-bit display windows of a DICOM image (level/width in rescaled units; null = the full range)."""
    stored, slope, intercept = dicom_values(resolve(entry["path"]))
    values = stored * slope + intercept
    out = []
    for label, level, width in entry["windows"]:
        lo, hi = (values.min(), values.max()) if level is None else (level - width / 2, level + width / 2)
        img = np.clip(np.rint((values - lo) / max(hi - lo, 1e-9) * 255), 0, 255).astype(np.uint8)
        out.append((f"{entry['name']}_{label}", img))
    return out


def dicom_native(entry):
    """The stored values, shifted to start at 0, in a 16-bit PNG (the data range kept as it is)."""
    stored, _, _ = dicom_values(resolve(entry["path"]))
    stored = stored - min(0.0, stored.min())
    if stored.max() > 65535:
        raise SystemExit(f"{entry['path']}: values beyond 16 bits")
    return stored.astype(np.uint16)


def npy_slice(entry):
    """A 2-D NumPy array (e.g. dipy's T1 slice), normalised to its 99.8th percentile, in 8 bits."""
    a = np.load(resolve(entry["path"])).astype(np.float64)
    if a.ndim != 2:
        raise SystemExit(f"{entry['path']}: not a 2-D slice")
    hi = float(np.percentile(a, 99.8))
    return np.clip(np.rint(a / max(hi, 1e-12) * 255), 0, 255).astype(np.uint8)


def write(path, img):
    import imageio
    os.makedirs(os.path.dirname(path), exist_ok=True)
    imageio.imwrite(path, img)


def to8(img):
    if img.dtype == np.uint8:
        return img
    lo, hi = float(img.min()), float(img.max())
    return np.clip(np.rint((img - lo) / max(hi - lo, 1e-9) * 255), 0, 255).astype(np.uint8)


def main():
    args = [a for a in sys.argv[1:]]
    listed = os.path.join(HERE, "hinet_data.json")
    if "--list" in args:
        i = args.index("--list")
        listed = args[i + 1]
        del args[i:i + 2]
    out = args[0] if args else "build/hinet-data"
    with open(listed) as f:
        data = json.load(f)
    for entry in data["train"]:
        if entry["path"].startswith("skimage:"):
            raise SystemExit(f"{entry['name']}: scikit-image sample images are held out, never trained on")
    held_paths = {resolve(e["path"]) for e in data["heldout"]}
    for entry in data["train"]:
        if resolve(entry["path"]) in held_paths:
            raise SystemExit(f"{entry['name']}: in both train and heldout")
    for sub in ("train", "heldout", "heldout-val", "heldout-other", "heldout-modalities"):
        shutil.rmtree(os.path.join(out, sub), ignore_errors=True)

    counts = {}
    for entry in data["train"]:
        if entry["source"] == "nifti":
            items = volume_slices(entry)
        elif entry["source"] == "dicom":
            items = dicom_windows(entry)
        else:
            items = [(entry["name"], grey(resolve(entry["path"]), entry.get("max_side", 0)))]
        for name, img in items:
            write(os.path.join(out, "train", entry["modality"], name + ".png"), img)
        counts[entry["modality"]] = counts.get(entry["modality"], 0) + len(items)
    print("train: " + ", ".join(f"{m} {n}" for m, n in sorted(counts.items())) +
          f" ({sum(counts.values())} images)")

    held = {}
    for entry in data["heldout"]:
        modality = entry["modality"]
        if entry["source"] == "nifti":
            items = volume_slices(entry)
            evaluated = items[::entry.get("eval_every", 1)]
            slice_table = entry.get("heldout_slices", False)  # NatBrainLab: bench/evaluate.sh's slice table
            if slice_table:
                for name, img in items:
                    write(os.path.join(out, "heldout", name + ".png"), img)
            for name, img in (items[::4] if slice_table else evaluated):
                write(os.path.join(out, "heldout-val", name + ".png"), img)
            for name, img in evaluated:
                write(os.path.join(out, "heldout-modalities", modality, name + ".png"), img)
            held[modality] = held.get(modality, 0) + len(evaluated)
            continue
        if entry["source"] == "dicom":
            img = dicom_native(entry)
        elif entry["source"] == "npy":
            img = npy_slice(entry)
        else:
            img = grey(resolve(entry["path"]))
        write(os.path.join(out, "heldout-modalities", modality, entry["name"] + ".png"), img)
        write(os.path.join(out, "heldout-val", entry["name"] + ".png"), to8(img))
        if modality == "fundus":
            write(os.path.join(out, "heldout-other", entry["name"] + ".png"), img)
        held[modality] = held.get(modality, 0) + 1
    print("heldout-modalities: " + ", ".join(f"{m} {n}" for m, n in sorted(held.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
