#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks `medveil-cli metrics --json` against scikit-image, an independent implementation.

PSNR (skimage.metrics.peak_signal_noise_ratio) and SSIM (structural_similarity with Wang et al.'s
Gaussian window: gaussian_weights=True, sigma=1.5, use_sample_covariance=False) must agree to 1e-4
on real corpus images and distorted copies of them, 8- and 16-bit.
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


def main():
    cli, corpus = sys.argv[1], sys.argv[2]
    names = ["mri_colin_axial_z160_512.png", "camera_512.png", "mri_macaque_axial_z70_512_16.png",
             "mri_colin_axial_z90_native.png"]
    worst = 0.0
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            a = imageio.imread(os.path.join(corpus, name))
            peak = 65535 if a.dtype == np.uint16 else 255
            for kind, b in distortions(a, peak).items():
                path_b = os.path.join(tmp, "b.png")
                imageio.imwrite(path_b, b)
                out = subprocess.run([cli, "metrics", os.path.join(corpus, name), path_b, "--json"],
                                     check=True, capture_output=True, text=True).stdout
                ours = json.loads(out)
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
    print(f"{len(rows)} pairs agree with scikit-image; largest difference {worst:.2e}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
