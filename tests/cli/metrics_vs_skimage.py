#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks `medveil-cli metrics --json` against scikit-image, an independent implementation.

PSNR (skimage.metrics.peak_signal_noise_ratio) and SSIM (structural_similarity with Wang et al.'s
Gaussian window: gaussian_weights=True, sigma=1.5, use_sample_covariance=False) must agree to 1e-4
on real corpus images and distorted copies of them, 8- and 16-bit, and on two different slices; the other
keys (psnr_range, NPCR, UACI, entropy, adjacent correlations) are checked against numpy from their
definitions. `sweep` must predict what `protect` does: its PSNR and SSIM at a threshold are compared with
scikit-image's figures for a real protected image at that threshold. A 12-bit DICOM CT is checked with
the data range the README promises (2^BitsStored - 1 = 4095), which `psnr_peak` must name, and
`protect --json` and `sweep --json` use the same peak: protect's PSNR/SSIM of that CT equal
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


def numpy_reference(a, b, peak):
    """The keys `metrics --json` prints besides PSNR and SSIM, from their definitions."""
    a64, b64 = a.astype(np.float64), b.astype(np.float64)
    data_range = float(a64.max() - a64.min())
    mse = np.mean((a64 - b64) ** 2)
    counts = np.bincount(b.ravel(), minlength=peak + 1) / b.size
    counts = counts[counts > 0]

    def corr(p, q):
        return float(np.corrcoef(p.ravel().astype(np.float64), q.ravel().astype(np.float64))[0, 1])

    return {
        "psnr_range": 10 * np.log10(data_range ** 2 / mse),
        "npcr": 100.0 * np.count_nonzero(a != b) / a.size,
        "uaci": 100.0 * np.mean(np.abs(a64 - b64)) / peak,
        "entropy": float(-np.sum(counts * np.log2(counts))),
        "corr_h": corr(b[:, :-1], b[:, 1:]),
        "corr_v": corr(b[:-1, :], b[1:, :]),
        "corr_d": corr(b[:-1, :-1], b[1:, 1:]),
    }


def check_sweep(cli, corpus, tmp):
    """sweep's row at T against scikit-image on a real `protect --threshold T` output of the same image.

    The sweep stands in deterministic bytes for the random key and RSA ciphertext (same sizes), so the
    protected pixels differ from a real run only in what those bytes are: the figures agree closely, not
    exactly. Returns the largest PSNR and SSIM differences seen."""
    name, threshold = "mri_colin_axial_z160_512.png", 25
    source = os.path.join(corpus, name)
    subprocess.run([cli, "keygen", "--private", os.path.join(tmp, "priv.pem"), "--public",
                    os.path.join(tmp, "pub.pem")], check=True, capture_output=True)
    protected = os.path.join(tmp, "protected.png")
    subprocess.run([cli, "protect", source, protected, "--public", os.path.join(tmp, "pub.pem"),
                    "--threshold", str(threshold)], check=True, capture_output=True)
    out = subprocess.run([cli, "sweep", source, "--thresholds", f"{threshold}:{threshold}:5", "--json"],
                         check=True, capture_output=True, text=True).stdout
    row = json.loads(out)["rows"][0]
    a, b = imageio.imread(source), imageio.imread(protected)
    ref_psnr = peak_signal_noise_ratio(a, b, data_range=255)
    ref_ssim = structural_similarity(a, b, gaussian_weights=True, sigma=1.5, use_sample_covariance=False,
                                     data_range=255)
    print(f"sweep T={threshold} on {name}: PSNR {row['psnr']:.4f} vs protect {ref_psnr:.4f}, "
          f"SSIM {row['ssim']:.5f} vs {ref_ssim:.5f}")
    assert row["fits"] and row["threshold"] == threshold, row
    return abs(row["psnr"] - ref_psnr), abs(row["ssim"] - ref_ssim)


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
    priv, pub, out = (os.path.join(tmp, n) for n in ("priv12.pem", "pub12.pem", "p12.dcm"))
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
             "mri_colin_axial_z90_native.png"]
    worst = 0.0
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        pairs = []
        for name in names:
            a = imageio.imread(os.path.join(corpus, name))
            peak = 65535 if a.dtype == np.uint16 else 255
            pairs += [(name, kind, a, b) for kind, b in distortions(a, peak).items()]
        ct12 = os.path.join(tmp, "ct12.dcm")
        ct12_pixels = make_ct12(ct12)
        pairs += [("CT 12-bit DICOM", kind, ct12_pixels, b) for kind, b in distortions(ct12_pixels, 4095).items()]
        # Two different slices of one volume (test_cli's metricsJsonHasContractKeys pins these figures).
        pairs.append(("mri_colin_axial_z160_512.png", "z130", imageio.imread(os.path.join(corpus, names[0])),
                      imageio.imread(os.path.join(corpus, "mri_colin_axial_z130_512.png"))))
        for name, kind, a, b in pairs:
            peak = 4095 if name == "CT 12-bit DICOM" else 65535 if a.dtype == np.uint16 else 255
            path_a = ct12 if name == "CT 12-bit DICOM" else os.path.join(corpus, name)
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
            for key, ref in numpy_reference(a, b, peak).items():
                if abs(ours[key] - ref) > 1e-6 * max(1.0, abs(ref)):
                    print(f"MISMATCH: {key} {ours[key]!r} vs numpy {ref!r}")
                    return 1
            if kind == "z130":
                print("  numpy:", {k: round(v, 6) for k, v in numpy_reference(a, b, peak).items()})
        if not check_protect_ct12(cli, tmp, ct12, ct12_pixels):
            return 1
        sweep_psnr, sweep_ssim = check_sweep(cli, corpus, tmp)
        if sweep_psnr > 0.2 or sweep_ssim > 0.01:
            print(f"MISMATCH: sweep vs protect |dPSNR|={sweep_psnr:.3f} dB |dSSIM|={sweep_ssim:.4f}")
            return 1
    print(f"{len(rows)} pairs agree with scikit-image (largest difference {worst:.2e}) and numpy; "
          f"sweep agrees with protect to {sweep_psnr:.3f} dB / {sweep_ssim:.4f} SSIM")
    return 0


if __name__ == "__main__":
    sys.exit(main())
