#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Extracts real slices the test corpus does not hold, to measure where the automatic key region lands
(bench/keyregion_body, issue #15): other volumes, contrasts and modalities than tests/data/corpus.

- mricron-data: the JHU 189 T1 template (jhu189) and the skull-stripped colin brain (ch2bet), axial, coronal
  and sagittal; NatBrainLab sagittal (the corpus has only its axial and coronal planes). 8-bit, 512².
- python3-nibabel's DICOM test files, when the package is unpacked or installed (NIBABEL_DIR, default its
  dist-packages folder): Siemens MR slices, a 128×96 16-bit MR with a decimal rescale, a Siemens DWI mosaic
  (b = 0 and 1000), and four sagittal frames of a Philips 3D MPRAGE (split from the multi-frame file).
- python3-skimage: the fundus photographs (grey).
16-bit DICOM frames are written as DICOM (the original header, one frame) so that MedVeil reads them as a
user would; the rest as PNG. Nothing is committed: regenerate any time.

Usage: /usr/bin/python3 tools/extract_body_slices.py OUT_DIR
"""
import glob
import gzip
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from extract_corpus import axial, coronal, load_nifti, sagittal, save, scale_to  # noqa: E402


def volume_slices(out, name, planes):
    vol = load_nifti(name)
    hi = float(np.percentile(vol, 99.8))
    for plane, fn, index in planes:
        img = fn(vol, index)
        img8 = np.clip(np.rint(scale_to(img, 512) / hi * 255), 0, 255).astype(np.uint8)
        save(os.path.join(out, f"{name}_{plane}{index:03d}_512.png"), img8)


def nibabel_dicoms(out, folder):
    import pydicom
    for path in sorted(glob.glob(os.path.join(folder, "*.dcm")) + glob.glob(os.path.join(folder, "*.dcm.gz"))):
        name = os.path.basename(path).replace(".dcm.gz", "").replace(".dcm", "")
        raw = gzip.open(path) if path.endswith(".gz") else open(path, "rb")
        try:
            ds = pydicom.dcmread(raw)
            frames = int(getattr(ds, "NumberOfFrames", 1) or 1)
            if "PixelData" not in ds or ds.file_meta.TransferSyntaxUID.is_compressed:
                continue
            pixels = ds.pixel_array
            if not pixels.any():  # nibabel blanks the pixels of most of its test files
                print(f"skipped {name}: blank pixel data")
                continue
            if frames == 1:
                ds.save_as(os.path.join(out, f"nibabel_{name}.dcm"))
                print(f"nibabel_{name}.dcm")
                continue
            for i in np.linspace(frames * 0.3, frames * 0.7, 4).astype(int):
                frame = ds.copy()
                frame.NumberOfFrames = 1
                frame.PixelData = np.ascontiguousarray(pixels[i]).tobytes()
                for seq in ("PerFrameFunctionalGroupsSequence",):
                    if seq in frame:
                        del frame[seq]
                frame.save_as(os.path.join(out, f"nibabel_{name}_frame{i:03d}.dcm"))
                print(f"nibabel_{name}_frame{i:03d}.dcm")
        except Exception as error:  # a test file nibabel keeps for its own error paths
            print(f"skipped {name}: {error}")


def main():
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    volume_slices(out, "jhu189", [("ax", axial, 60), ("ax", axial, 90), ("cor", coronal, 110), ("sag", sagittal, 80)])
    volume_slices(out, "ch2bet", [("ax", axial, 80), ("cor", coronal, 120), ("sag", sagittal, 70)])
    volume_slices(out, "natbrainlab", [("sag", sagittal, 60), ("sag", sagittal, 100)])
    nib = os.environ.get("NIBABEL_DIR", "/usr/lib/python3/dist-packages/nibabel")
    for folder in (os.path.join(nib, "nicom", "tests", "data"),):
        if os.path.isdir(folder):
            nibabel_dicoms(out, folder)
    from skimage import io as skio
    from skimage.color import rgb2gray
    for name in ("retina.jpg", "microaneurysms.png"):
        img = skio.imread(os.path.join("/usr/lib/python3/dist-packages/skimage/data", name))
        grey = rgb2gray(img) if img.ndim == 3 else img / 255.0
        save(os.path.join(out, "fundus_" + name.split(".")[0] + ".png"), np.clip(np.rint(grey * 255), 0, 255).astype(np.uint8))


if __name__ == "__main__":
    main()
