#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Extracts 8-bit images for HiNet training, with a source-level split.

train/    MRI slices of the MNI colin27 volumes (ch2better, ch2) and the macaque inia19 T1
          (mricron-data), plus every grey-scale-able photograph and micrograph of scikit-image's data
          (python3-skimage) except camera.png (a test image) and the two fundus images; the network's
          first runs, trained on MRI alone, reached 49 dB on training slices but 38 dB on a new subject,
          so the set is made as varied as Debian allows and train_hinet augments it further.
heldout/  every usable slice of the NatBrainLab template, a subject training never sees (the validation
          set train_hinet logs).
heldout-other/  other modalities never seen in training: fundus photographs (skimage retina,
          microaneurysms), and nothing else from the corpus sources.
Slices with less than 15 % foreground are skipped.

Usage: /usr/bin/python3 tools/extract_hinet_slices.py OUT_DIR
Writes OUT_DIR/{train,heldout,heldout-other}/*.png (nothing is committed: regenerate any time).
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from extract_corpus import axial, coronal, load_nifti, save, to_square  # noqa: E402
from skimage.transform import resize  # noqa: E402


def slices(vol, name, step):
    out = []
    hi = float(np.percentile(vol, 99.8))
    for axis, fn in (("ax", axial), ("cor", coronal)):
        n = vol.shape[2] if axis == "ax" else vol.shape[1]
        for i in range(0, n, step):
            s = fn(vol, i)
            if (s > hi * 0.05).mean() < 0.15:
                continue
            img = np.clip(np.rint(s / hi * 255), 0, 255).astype(np.uint8)
            out.append((f"{name}_{axis}{i:03d}", img))
    return out


SKIMAGE = "/usr/lib/python3/dist-packages/skimage/data"
SKIMAGE_HELD_OUT = {"retina.jpg", "microaneurysms.png"}
SKIMAGE_SKIPPED = {"camera.png", "truncated.jpg"}  # a test-corpus image; a deliberately broken file


def grey_images(names):
    import imageio
    out = []
    for name in sorted(names):
        img = np.asarray(imageio.imread(os.path.join(SKIMAGE, name))).astype(np.float64)
        if img.ndim == 3:
            img = img[..., :3] @ np.array([0.299, 0.587, 0.114]) if img.shape[2] >= 3 else img[..., 0]
        if img.ndim != 2 or min(img.shape) < 64 or img.max() <= img.min():
            continue
        img = (img - img.min()) / (img.max() - img.min()) * 255
        out.append(("skimage_" + os.path.splitext(name)[0], np.clip(np.rint(img), 0, 255).astype(np.uint8)))
    return out


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "build/hinet-data"
    train = slices(load_nifti("ch2better"), "colin05", 4) + slices(load_nifti("ch2"), "colin1", 6) + \
        slices(load_nifti("inia19-t1-brain"), "macaque", 3)
    photos = [n for n in os.listdir(SKIMAGE) if n.endswith((".png", ".jpg")) and
              n not in SKIMAGE_HELD_OUT | SKIMAGE_SKIPPED]
    natural = grey_images(photos)
    held = slices(load_nifti("natbrainlab"), "natbrainlab", 2)
    other = grey_images(SKIMAGE_HELD_OUT)
    import imageio
    for subset, items in (("train", natural), ("heldout-other", other)):
        os.makedirs(os.path.join(out, subset), exist_ok=True)
        for name, img in items:  # native size: train_hinet crops and rescales them
            imageio.imwrite(os.path.join(out, subset, name + ".png"), img)
    for subset, items in (("train", train), ("heldout", held)):
        os.makedirs(os.path.join(out, subset), exist_ok=True)
        for name, img in items:
            sq = to_square(img)
            size = 256 if sq.shape[0] <= 320 else 512
            img = np.clip(np.rint(resize(sq.astype(np.float64), (size, size), order=3, preserve_range=True,
                                         anti_aliasing=False)), 0, 255).astype(np.uint8)
            import imageio
            imageio.imwrite(os.path.join(out, subset, name + ".png"), img)
        print(f"{subset}: {len(items)} slices")
    print(f"train: {len(natural)} scikit-image pictures; heldout-other: {len(other)} fundus pictures")
    return 0


if __name__ == "__main__":
    sys.exit(main())
