#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks `medveil-cli metrics --json` against scikit-image, an independent implementation.

PSNR (skimage.metrics.peak_signal_noise_ratio) and SSIM (structural_similarity with Wang et al.'s
Gaussian window: gaussian_weights=True, sigma=1.5, use_sample_covariance=False) must agree to 1e-4
on real corpus images and distorted copies of them, 8- and 16-bit PNG and a 12-bit DICOM CT, with the
data range the README promises (2^bits - 1; DICOM: 2^BitsStored - 1), which `psnr_peak` must name.
`protect --json` and `sweep --json` use the same peak: protect's PSNR/SSIM of a 12-bit CT equal
scikit-image's on the written file (issue #25: 43.13 dB with peak 65535 where metrics said 18.71).
Usage: metrics_vs_skimage.py MEDVEIL_CLI CORPUS_DIR
"""
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

try:
    import imageio.v2 as imageio
except ImportError:
    import imageio
from skimage.filters import gaussian
from skimage.metrics import peak_signal_noise_ratio, structural_similarity


def distortions(img, peak):
    rng = np.random.default_rng(2024)
    noisy = np.clip(img.astype(np.int64) + rng.integers(-6, 7, img.shape) * (peak // 255), 0, peak)
    blurred = np.clip(np.rint(gaussian(img.astype(np.float64), sigma=1.2, preserve_range=True)), 0, peak)
    shifted = np.roll(img, 3, axis=1)
    return {"noise": noisy.astype(img.dtype), "blur": blurred.astype(img.dtype), "shift": shifted}


def make_ct12(path):
    """pydicom's CT at 512² as a 12-bit unsigned CT (BitsStored 12, values 0..4095, intercept -1024)."""
    import pydicom
    d = pydicom.dcmread("/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm")
    a = np.kron(d.pixel_array.astype(np.int32), np.ones((4, 4), dtype=np.int32))
    a = np.clip(a + 1024, 0, 4095).astype(np.uint16)
    d.Rows, d.Columns = a.shape
    d.PixelData = a.tobytes()
    d.PixelRepresentation, d.BitsStored, d.HighBit, d.RescaleIntercept = 0, 12, 11, -1024
    d.save_as(path)
    return a


def check_protect_ct12(cli, tmp, ct12, a):
    """protect --json and sweep --json of the 12-bit CT: peak 4095, figures equal scikit-image's."""
    import pydicom
    priv, pub, out = (os.path.join(tmp, n) for n in ("priv.pem", "pub.pem", "p.dcm"))
    subprocess.run([cli, "keygen", "--private", priv, "--public", pub], check=True, capture_output=True)
    ours = json.loads(subprocess.run([cli, "protect", ct12, out, "--public", pub, "--json"], check=True,
                                     capture_output=True, text=True).stdout)
    b = pydicom.dcmread(out).pixel_array
    ref_psnr = peak_signal_noise_ratio(a, b, data_range=4095)
    ref_ssim = structural_similarity(a, b, gaussian_weights=True, sigma=1.5, use_sample_covariance=False,
                                     data_range=4095)
    print(f"protect 12-bit CT: PSNR {ours['psnr']:.6f} vs {ref_psnr:.6f} (peak {ours.get('psnr_peak')})  "
          f"SSIM {ours['ssim']:.6f} vs {ref_ssim:.6f}")
    if ours.get("psnr_peak") != 4095 or abs(ours["psnr"] - ref_psnr) > 1e-4 or abs(ours["ssim"] - ref_ssim) > 1e-4:
        print("MISMATCH in protect --json of the 12-bit CT")
        return False
    sweep = json.loads(subprocess.run([cli, "sweep", ct12, "--thresholds", "20:20:5", "--json"], check=True,
                                      capture_output=True, text=True).stdout)
    print(f"sweep 12-bit CT: psnr_peak {sweep.get('psnr_peak')}, row peak {sweep['rows'][0].get('psnr_peak')}")
    if sweep.get("psnr_peak") != 4095 or sweep["rows"][0].get("psnr_peak") != 4095:
        print("MISMATCH: sweep does not use the 12-bit peak")
        return False
    return True


def main():
    cli, corpus = sys.argv[1], sys.argv[2]
    names = ["mri_colin_axial_z160_512.png", "camera_512.png", "mri_macaque_axial_z70_512_16.png",
             "mri_colin_axial_z90_native.png", "CT 12-bit DICOM"]
    worst = 0.0
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        ct12 = os.path.join(tmp, "ct12.dcm")
        ct12_pixels = make_ct12(ct12)
        for name in names:
            if name == "CT 12-bit DICOM":
                path_a, a, peak = ct12, ct12_pixels, 4095
            else:
                path_a = os.path.join(corpus, name)
                a = imageio.imread(path_a)
                peak = 65535 if a.dtype == np.uint16 else 255
            for kind, b in distortions(a, peak).items():
                path_b = os.path.join(tmp, "b.png")
                imageio.imwrite(path_b, b)
                out = subprocess.run([cli, "metrics", path_a, path_b, "--json"],
                                     check=True, capture_output=True, text=True).stdout
                ours = json.loads(out)
                if ours.get("psnr_peak") != peak:
                    print(f"MISMATCH: {name} psnr_peak {ours.get('psnr_peak')}, expected {peak}")
                    return 1
                ref_ssim = structural_similarity(a, b, gaussian_weights=True, sigma=1.5,
                                                 use_sample_covariance=False, data_range=peak)
                ref_psnr = peak_signal_noise_ratio(a, b, data_range=peak)
                d_ssim = abs(ours["ssim"] - ref_ssim)
                d_psnr = abs(ours["psnr"] - ref_psnr)
                worst = max(worst, d_ssim, d_psnr)
                rows.append((name, kind, ours["psnr"], ref_psnr, ours["ssim"], ref_ssim))
                print(f"{name:36s} {kind:6s} PSNR {ours['psnr']:.6f} vs {ref_psnr:.6f}  "
                      f"SSIM {ours['ssim']:.6f} vs {ref_ssim:.6f}")
                if d_ssim > 1e-4 or d_psnr > 1e-4:
                    print(f"MISMATCH: |dSSIM|={d_ssim:.2e} |dPSNR|={d_psnr:.2e}")
                    return 1
        if not check_protect_ct12(cli, tmp, ct12, ct12_pixels):
            return 1
    print(f"{len(rows)} pairs agree with scikit-image; largest difference {worst:.2e}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
