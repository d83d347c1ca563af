#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Extracts 8-bit MRI slices from Debian's mricron-data volumes for HiNet training, with a
volume-level split: the training set comes from the MNI colin27 volumes (ch2better, ch2) and the
macaque inia19 T1; the held-out set is every usable slice of the NatBrainLab template, a different
subject that training never sees. Slices with less than 15 % foreground are skipped.

Usage: /usr/bin/python3 tools/extract_hinet_slices.py OUT_DIR
Writes OUT_DIR/train/*.png and OUT_DIR/heldout/*.png (nothing is committed: regenerate any time).
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


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "build/hinet-data"
    train = slices(load_nifti("ch2better"), "colin05", 4) + slices(load_nifti("ch2"), "colin1", 6) + \
        slices(load_nifti("inia19-t1-brain"), "macaque", 3)
    held = slices(load_nifti("natbrainlab"), "natbrainlab", 2)
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
