#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Known-answer values for LscChaoticCipher (versions 1 and 2), computed without MedVeil's code.

A second implementation of the diffusion keystreams and of the whole version-2 cipher, written from their
description (engine/emr/LscChaoticCipher.h and DESIGN §4.3), so that test_emr's keystreamMatchesKnownAnswers,
keystreamV2MatchesKnownAnswers and cipherV2MatchesKnownAnswers compare the C++ against something it did not
produce.

Version 1:

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

Version 2 (every operation an IEEE-754 double operation in this order, so the values hold on any machine
whose compiler neither contracts a·b + c into a fused multiply-add nor reorders; MedVeil builds the cipher
with -ffp-contract=off):

  material = HKDF-SHA-256(key, salt, "MedVeil LSC cipher version 2", 3·288 + 16); map j ∈ {permutation,
  forward, backward}: lane seeds material[288j : 288j + 256] (16 bytes per lane), perturbation key
  material[288j + 256 : 288j + 288]; initial states material[864:880] (8 bytes per pass, little endian).
  sinπ(t): q = (t + 1.5·2^52) − 1.5·2^52, y = t − q, z = y², p = y·(S1 + z·(S3 + … + z·S21)),
  parity = q − 2·((q/2 + 1.5·2^52) − 1.5·2^52), result p·(1 − 2·parity²).
  Sixteen lanes, each x0 = 0.05 + 0.9·u(seed[0:7]), r = 0.6 + 0.4·u(seed[8:15]), a = 4r, b = 1 − r;
  a step: every lane x ← sinπ(a·x·(1 − x) + b·sinπ(x)); then, on every 1024th step all lanes in order, else
  each lane that is 0, ±1 or not finite: x ← sinπ(x + u) (u from the next 8 perturbation bytes; if that is
  degenerate x ← 0.05 + 0.9u); then 4 bytes per lane as in version 1, lane 0 first. 256 burn-in steps.
  The perturbation stream is 32 KiB of AES-256-CTR as in version 1, re-keyed by SHA-256 when used up.
  Cipher: the bit permutation of version 1 (two rounds of row then column rotations of the (P·H) × W bit
  matrix, shifts from the permutation map: 4 bytes little endian per row and column, modulo the length);
  then, with a_i and b_i the forward and backward maps' streams (1 byte per pixel, or 2 little endian for
  16-bit), two passes out_i = rotl(((s mod 2^P) ⊕ key_i) + v_i mod 2^P, turn_i mod P), then
  s ← rotl64((s ⊕ ((key_i·2^16 + v_i)·0x9E3779B97F4A7C15 mod 2^64))·0xD6E8FEB86659FD93 mod 2^64, 32): forward (key a,
  turn b), then backward (key b, turn a).

Run once: /usr/bin/python3 tools/lsc_keystream_kat.py — it prints the values tests/engine/test_emr.cpp
holds. Takes about a minute (version 1: 4.25 million iterates, version 2: as many, each past the first
re-keying of its perturbation stream).
"""

import hashlib
import hmac
import math
import struct
import subprocess

BURN_IN = 1000
PERTURB_PERIOD = 1024
PERTURB_STREAM_BYTES = 8 * 4096
LONG_COUNT = 17_000_000  # bytes: the perturbation streams are re-keyed at byte 16,777,312 (v1) and 16,760,832 (v2)


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


# ---- version 2 ----

S = [float.fromhex(h) for h in (
    "0x1.921fb54442d18p+1", "-0x1.4abbce625be53p+2", "0x1.466bc6775aae2p+1", "-0x1.32d2cce62bd86p-1",
    "0x1.50783487ee782p-4", "-0x1.e3074fde8871fp-8", "0x1.e8f434d018d63p-12", "-0x1.6fadb9f155744p-16",
    "0x1.aaec32af93359p-21", "-0x1.8a404211f9547p-26", "0x1.2877020d52cf0p-31")]
MAGIC = float.fromhex("0x1.8p52")
LANES = 16
BURN_IN_V2 = 256


def round_to_integer(t: float) -> float:
    return (t + MAGIC) - MAGIC


def sin_pi(t: float) -> float:
    q = round_to_integer(t)
    y = t - q
    z = y * y
    acc = S[10]
    for c in reversed(S[:10]):
        acc = c + z * acc
    p = y * acc
    parity = q - 2.0 * round_to_integer(0.5 * q)
    return p * (1.0 - 2.0 * (parity * parity))


class LscLaneMap:
    def __init__(self, seed: bytes, perturb_key: bytes):
        self.x, self.a, self.b = [], [], []
        for lane in range(LANES):
            s = seed[16 * lane:16 * lane + 16]
            self.x.append(0.05 + 0.9 * unit(s[0:7]))
            r = 0.6 + 0.4 * unit(s[8:15])
            self.a.append(4.0 * r)
            self.b.append(1.0 - r)
        self.step_count = 0
        self.perturb_key = perturb_key
        self.stream = aes256_ctr_zeros(perturb_key, PERTURB_STREAM_BYTES)
        self.pos = 0
        self.pending = b""
        for _ in range(BURN_IN_V2):
            self.step()
        self.pending = b""

    def perturb(self, lane: int):
        if self.pos + 8 > len(self.stream):
            self.perturb_key = hashlib.sha256(self.perturb_key).digest()
            self.stream = aes256_ctr_zeros(self.perturb_key, PERTURB_STREAM_BYTES)
            self.pos = 0
        u = unit(self.stream[self.pos:self.pos + 8])
        self.pos += 8
        self.x[lane] = sin_pi(self.x[lane] + u)
        if LscMap.degenerate(self.x[lane]):
            self.x[lane] = 0.05 + 0.9 * u

    def step(self):
        self.x = [sin_pi(self.a[l] * x * (1.0 - x) + self.b[l] * sin_pi(x)) for l, x in enumerate(self.x)]
        self.step_count += 1
        if self.step_count % PERTURB_PERIOD == 0:
            for lane in range(LANES):
                self.perturb(lane)
        else:
            for lane in range(LANES):
                if LscMap.degenerate(self.x[lane]):
                    self.perturb(lane)
        out = bytearray()
        for x in self.x:
            raw = struct.unpack("<Q", struct.pack("<d", x))[0] & ((1 << 52) - 1)
            out += (((raw >> 1) ^ (raw >> 21)) & 0xFFFFFFFF).to_bytes(4, "little")
        self.pending = bytes(out)

    def fill(self, count: int) -> bytes:
        out = bytearray()
        while len(out) < count:
            if not self.pending:
                self.step()
            take = min(count - len(out), len(self.pending))
            out += self.pending[:take]
            self.pending = self.pending[take:]
        return bytes(out)


def maps_v2(key: bytes, salt: bytes):
    per_map = 16 * LANES + 32
    material = hkdf_sha256(key, salt, b"MedVeil LSC cipher version 2", 3 * per_map + 16)
    maps = [LscLaneMap(material[per_map * j:per_map * j + 16 * LANES], material[per_map * j + 16 * LANES:per_map * (j + 1)])
            for j in range(3)]
    return maps, material[3 * per_map:3 * per_map + 16]


def keystream_v2(key: bytes, salt: bytes, count: int) -> bytes:
    maps, _ = maps_v2(key, salt)
    return maps[1].fill(count)


def encrypt_v2(values, width: int, height: int, planes: int, key: bytes, salt: bytes):
    """values: row-major pixel values; returns the cipher's values."""
    (permutation, forward, backward), iv = maps_v2(key, salt)
    rows, cols = planes * height, width
    bits = [[(values[y * width + x] >> p) & 1 for x in range(width)] for p in range(planes) for y in range(height)]
    shifts = []
    for _ in range(2):
        raw = permutation.fill((rows + cols) * 4)
        v = [int.from_bytes(raw[4 * i:4 * i + 4], "little") for i in range(rows + cols)]
        shifts.append(([v[r] % cols for r in range(rows)], [v[rows + c] % rows for c in range(cols)]))
    for row_shift, col_shift in shifts:
        bits = [[bits[r][(c + row_shift[r]) % cols] for c in range(cols)] for r in range(rows)]
        bits = [[bits[(r + col_shift[c]) % rows][c] for c in range(cols)] for r in range(rows)]
    v = [sum(bits[p * height + y][x] << p for p in range(planes)) for y in range(height) for x in range(width)]
    n, mask, width_bytes = len(v), (1 << planes) - 1, planes // 8
    a_raw, b_raw = forward.fill(n * width_bytes), backward.fill(n * width_bytes)
    a = [int.from_bytes(a_raw[i * width_bytes:(i + 1) * width_bytes], "little") for i in range(n)]
    b = [int.from_bytes(b_raw[i * width_bytes:(i + 1) * width_bytes], "little") for i in range(n)]

    def rotl(x, s):
        return ((x << s) | (x >> (planes - s))) & mask if s else x

    mask64 = (1 << 64) - 1

    def mix(state, pixel, key_value):
        product = ((state ^ (((key_value << 16) | pixel) * 0x9E3779B97F4A7C15 & mask64)) * 0xD6E8FEB86659FD93) & mask64
        return ((product << 32) | (product >> 32)) & mask64

    def feedback(v, key_stream, turn, state, order):
        for i in order:
            pixel = v[i]
            v[i] = rotl(((state & mask ^ key_stream[i]) + pixel) & mask, turn[i] & (planes - 1))
            state = mix(state, pixel, key_stream[i])

    feedback(v, a, b, int.from_bytes(iv[0:8], "little"), range(n))
    feedback(v, b, a, int.from_bytes(iv[8:16], "little"), range(n - 1, -1, -1))
    return v


def main():
    key = bytes([7]) * 32
    print("salt 9, first 16 bytes: ", keystream(key, bytes([9]) * 32, 16).hex())
    print("salt 10, first 16 bytes:", keystream(key, bytes([10]) * 32, 16).hex())
    long = keystream(key, bytes([9]) * 32, LONG_COUNT)
    print(f"salt 9, {LONG_COUNT} bytes: SHA-256 {hashlib.sha256(long).hexdigest()}")
    print(f"salt 9, bytes {LONG_COUNT - 16}..{LONG_COUNT - 1}: {long[-16:].hex()}")
    print("version 2")
    print("salt 9, first 16 bytes: ", keystream_v2(key, bytes([9]) * 32, 16).hex())
    print("salt 10, first 16 bytes:", keystream_v2(key, bytes([10]) * 32, 16).hex())
    long = keystream_v2(key, bytes([9]) * 32, LONG_COUNT)
    print(f"salt 9, {LONG_COUNT} bytes: SHA-256 {hashlib.sha256(long).hexdigest()}")
    print(f"salt 9, bytes {LONG_COUNT - 16}..{LONG_COUNT - 1}: {long[-16:].hex()}")
    for width, height, planes in ((13, 7, 8), (5, 3, 16), (1, 1, 8), (1, 1, 16)):
        values = [(x * 37 + y * 11 + 3) % 256 if planes == 8 else (x * 4099 + y * 257 + 1000) % 65536
                  for y in range(height) for x in range(width)]
        cipher = encrypt_v2(values, width, height, planes, key, bytes([9]) * 32)
        digits = 2 if planes == 8 else 4
        print(f"cipher {width}x{height} {planes}-bit:", "".join(f"{c:0{digits}x}" for c in cipher))


if __name__ == "__main__":
    main()
