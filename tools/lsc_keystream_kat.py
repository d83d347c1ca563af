#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Known-answer values for LscChaoticCipher::keystream, computed without MedVeil's code.

A second implementation of the diffusion keystream, written from its description (engine/emr/
LscChaoticCipher.h and DESIGN §4.3), so that test_emr's keystreamMatchesKnownAnswers compares the C++
against something it did not produce:

  material = HKDF-SHA-256(key, salt, "MedVeil LSC cipher v2", 196)      (RFC 5869, here with hmac)
  forward map: seed = material[64:96], perturbation key = material[96:128]
  x0 = 0.05 + 0.9·u(seed[0:7]), r = 0.6 + 0.4·u(seed[8:15]), u(7 bytes) = big-endian value / 2^56
  x ← cos(π(4r·x(1 − x) + (1 − r)·sin(πx) − 0.5)); every 1024th step (and whenever x is 0, ±1 or not
  finite) x ← cos(π(x + u)), u from the next 8 bytes of AES-256-CTR(perturbation key, IV 0) over 32 KiB
  zeros; when those are used up the perturbation key becomes its SHA-256 and the stream restarts.
  1000 burn-in steps; then each iterate gives 4 bytes: m = (M >> 1) XOR (M >> 21), M = the 52 mantissa
  bits, least significant byte first.

AES-256-CTR comes from the `openssl enc` command (the block cipher is not what is being checked; the map,
its perturbation schedule, the key derivation and the byte extraction are). Python's math.sin/cos are the
C library's, as std::sin/cos are in MedVeil: the values hold for glibc on x86-64 without FMA contraction.

Run once: /usr/bin/python3 tools/lsc_keystream_kat.py — it prints the values tests/engine/test_emr.cpp
holds. Takes about 10 s (4.25 million iterates, past the first re-keying of the perturbation stream).
"""

import hashlib
import hmac
import math
import struct
import subprocess

BURN_IN = 1000
PERTURB_PERIOD = 1024
PERTURB_STREAM_BYTES = 8 * 4096
LONG_COUNT = 17_000_000  # bytes: the perturbation stream is re-keyed at byte 16,777,312


def hkdf_sha256(ikm: bytes, salt: bytes, info: bytes, length: int) -> bytes:
    prk = hmac.new(salt, ikm, hashlib.sha256).digest()
    out, block, counter = b"", b"", 1
    while len(out) < length:
        block = hmac.new(prk, block + info + bytes([counter]), hashlib.sha256).digest()
        out += block
        counter += 1
    return out[:length]


def aes256_ctr_zeros(key: bytes, length: int) -> bytes:
    stream = subprocess.run(
        ["openssl", "enc", "-aes-256-ctr", "-nosalt", "-nopad", "-K", key.hex(), "-iv", "00" * 16],
        input=bytes(length), capture_output=True, check=True).stdout
    assert len(stream) == length
    return stream


def unit(b: bytes) -> float:
    # As the C++ does: the 56-bit value rounded to a double, then scaled by 2^-56 (exact).
    return float(int.from_bytes(b[:7], "big")) / float(1 << 56)


class LscMap:
    def __init__(self, seed: bytes, perturb_key: bytes):
        self.x = 0.05 + 0.9 * unit(seed[0:7])
        self.r = 0.6 + 0.4 * unit(seed[8:15])
        self.step = 0
        self.perturb_key = perturb_key
        self.stream = aes256_ctr_zeros(perturb_key, PERTURB_STREAM_BYTES)
        self.pos = 0
        for _ in range(BURN_IN):
            self.next()

    @staticmethod
    def degenerate(x: float) -> bool:
        return not math.isfinite(x) or x == 0.0 or abs(x) == 1.0

    def perturb(self):
        if self.pos + 8 > len(self.stream):
            self.perturb_key = hashlib.sha256(self.perturb_key).digest()
            self.stream = aes256_ctr_zeros(self.perturb_key, PERTURB_STREAM_BYTES)
            self.pos = 0
        u = unit(self.stream[self.pos:self.pos + 8])
        self.pos += 8
        self.x = math.cos(math.pi * (self.x + u))
        if self.degenerate(self.x):
            self.x = 0.05 + 0.9 * u

    def next(self) -> float:
        x, r = self.x, self.r
        self.x = math.cos(math.pi * (4.0 * r * x * (1.0 - x) + (1.0 - r) * math.sin(math.pi * x) - 0.5))
        self.step += 1
        if self.step % PERTURB_PERIOD == 0 or self.degenerate(self.x):
            self.perturb()
        return self.x


def keystream(key: bytes, salt: bytes, count: int) -> bytes:
    material = hkdf_sha256(key, salt, b"MedVeil LSC cipher v2", 6 * 32 + 4)
    forward = LscMap(material[64:96], material[96:128])
    out = bytearray()
    mantissa_mask = (1 << 52) - 1
    while len(out) < count:
        raw = struct.unpack("<Q", struct.pack("<d", forward.next()))[0] & mantissa_mask
        folded = (raw >> 1) ^ (raw >> 21)
        out += (folded & 0xFFFFFFFF).to_bytes(4, "little")
    return bytes(out[:count])


def main():
    key = bytes([7]) * 32
    print("salt 9, first 16 bytes: ", keystream(key, bytes([9]) * 32, 16).hex())
    print("salt 10, first 16 bytes:", keystream(key, bytes([10]) * 32, 16).hex())
    long = keystream(key, bytes([9]) * 32, LONG_COUNT)
    print(f"salt 9, {LONG_COUNT} bytes: SHA-256 {hashlib.sha256(long).hexdigest()}")
    print(f"salt 9, bytes {LONG_COUNT - 16}..{LONG_COUNT - 1}: {long[-16:].hex()}")


if __name__ == "__main__":
    main()
