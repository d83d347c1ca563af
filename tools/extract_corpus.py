#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Builds MedVeil's real-image corpus from Debian-packaged data (nothing is downloaded).

Sources: mricron-data (MNI colin27 'ch2better', 'natbrainlab', macaque 'inia19' T1 volumes),
python3-pydicom (CT_small.dcm, MR_small.dcm), python3-skimage (camera.png).
Writes grey PNGs (8-bit, and 16-bit at the data's own stored range) to OUT (default tests/data/corpus)
and the GUI's bundled sample to resources/samples/. Deterministic: same files on every run.

Usage: /usr/bin/python3 tools/extract_corpus.py [--out DIR] [--hinet-slices DIR]
"""
import argparse
import gzip
import os
import struct
import sys

import numpy as np

try:
    import imageio.v2 as imageio
except ImportError:  # older imageio
    import imageio
import pydicom
from skimage.transform import resize

MRICRON = "/usr/share/mricron/templates"
PYDICOM = os.path.join(os.path.dirname(pydicom.__file__), "data", "test_files")
SKIMAGE_CAMERA = "/usr/lib/python3/dist-packages/skimage/data/camera.png"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

NIFTI_TYPES = {2: np.uint8, 4: np.int16, 8: np.int32, 16: np.float32, 64: np.float64, 512: np.uint16}


def load_nifti(name):
    """Minimal NIfTI-1 reader (header fields per the NIfTI-1 standard), returns array [x, y, z]."""
    data = gzip.open(os.path.join(MRICRON, name + ".nii.gz")).read()
    dims = struct.unpack("<8h", data[40:56])
    datatype = struct.unpack("<h", data[70:72])[0]
    vox_offset = int(struct.unpack("<f", data[108:112])[0])
    slope, inter = struct.unpack("<ff", data[112:120])
    shape = dims[1:1 + dims[0]]
    vol = np.frombuffer(data, dtype=NIFTI_TYPES[datatype], offset=vox_offset,
                        count=int(np.prod(shape))).reshape(shape, order="F")
    vol = vol.astype(np.float64)
    if slope not in (0.0, 1.0) or inter != 0.0:
        vol = vol * (slope if slope else 1.0) + inter
    return vol


def axial(vol, z):
    # Radiological display: anterior up, patient's right on the left.
    return np.flipud(vol[:, :, z].T)


def coronal(vol, y):
    return np.flipud(vol[:, y, :].T)


def sagittal(vol, x):
    return np.flipud(vol[x, :, :].T)


def to_square(img):
    h, w = img.shape
    n = max(h, w)
    out = np.zeros((n, n), dtype=img.dtype)
    out[(n - h) // 2:(n - h) // 2 + h, (n - w) // 2:(n - w) // 2 + w] = img
    return out


def scale_to(img, size):
    return resize(to_square(img), (size, size), order=3, preserve_range=True, anti_aliasing=False, mode="edge")


def quantise(img, bits, lo=None, hi=None):
    lo = float(np.min(img)) if lo is None else lo
    hi = float(np.max(img)) if hi is None else hi
    peak = (1 << bits) - 1 if bits == 8 else 4095  # 16-bit files hold 12-bit CT/MR-like ranges
    out = np.clip(np.rint((img - lo) / max(hi - lo, 1e-9) * peak), 0, peak)
    return out.astype(np.uint8 if bits == 8 else np.uint16)


def save(path, img):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    imageio.imwrite(path, img)
    print(f"{os.path.relpath(path, ROOT)}: {img.shape[1]}x{img.shape[0]} {img.dtype}")


def dicom_pixels(name):
    ds = pydicom.dcmread(os.path.join(PYDICOM, name))
    a = ds.pixel_array.astype(np.int64)
    if a.min() < 0:
        raise SystemExit(f"{name}: negative stored values are not expected")
    return a.astype(np.uint16)


def build_corpus(out):
    better = load_nifti("ch2better")  # colin27, 0.5 mm, 8-bit
    nat = load_nifti("natbrainlab")   # a second human template, 8-bit
    macaque = load_nifti("inia19-t1-brain")  # macaque T1, float
    ch2 = load_nifti("ch2")           # colin27 1 mm, 8-bit

    for z in (130, 160, 190):
        save(f"{out}/mri_colin_axial_z{z}_512.png", quantise(scale_to(axial(better, z), 512), 8, 0, 255))
    save(f"{out}/mri_colin_coronal_y200_512.png", quantise(scale_to(coronal(better, 200), 512), 8, 0, 255))
    save(f"{out}/mri_colin_sagittal_x150_512.png", quantise(scale_to(sagittal(better, 150), 512), 8, 0, 255))
    save(f"{out}/mri_natbrainlab_axial_z80_512.png", quantise(scale_to(axial(nat, 80), 512), 8, 0, 255))
    # Native sizes, 8-bit: the volumes' own grid.
    save(f"{out}/mri_colin_axial_z90_native.png", axial(ch2, 90).astype(np.uint8))
    save(f"{out}/mri_natbrainlab_coronal_y100_native.png", coronal(nat, 100).astype(np.uint8))
    # 16-bit: the macaque T1 (float) at 12-bit range, natively and at 512×512.
    mac = axial(macaque, 70)
    hi = float(np.percentile(macaque, 99.9))
    save(f"{out}/mri_macaque_axial_z70_native_16.png", quantise(mac, 16, 0, hi))
    save(f"{out}/mri_macaque_axial_z70_512_16.png", quantise(scale_to(mac, 512), 16, 0, hi))
    # DICOM (stored values kept as they are), native and at 512×512.
    for name, tag in (("CT_small.dcm", "ct_small"), ("MR_small.dcm", "mr_small")):
        px = dicom_pixels(name)
        save(f"{out}/{tag}_native_16.png", px)
        up = np.clip(np.rint(resize(px.astype(np.float64), (512, 512), order=3, preserve_range=True,
                                    anti_aliasing=False, mode="edge")), 0, 65535).astype(np.uint16)
        save(f"{out}/{tag}_512_16.png", up)
    save(f"{out}/camera_512.png", imageio.imread(SKIMAGE_CAMERA).astype(np.uint8))

    sample = os.path.join(ROOT, "resources", "samples", "brain_mri_axial_512.png")
    save(sample, quantise(scale_to(axial(better, 160), 512), 8, 0, 255))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=os.path.join(ROOT, "tests", "data", "corpus"))
    args = parser.parse_args()
    build_corpus(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
