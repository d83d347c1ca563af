// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/Bytes.h"
#include "core/Image.h"
#include "core/Result.h"

namespace medveil {

/// The logistic-sine-cosine (LSC) map of Hua, Zhou & Huang (Information Sciences 480, 2019):
/// x ← cos(π(4r·x(1 − x) + (1 − r)·sin(πx) − 0.5)), iterated in double precision.
/// Keystream bytes are mantissa bits 1–32 of each iterate. Short cycles in double precision are
/// prevented by perturbing x every 1024 iterations (and at once if it ever reaches 0, ±1 or NaN) with
/// values from a key-derived AES-CTR stream.
class LscMap
{
public:
    static constexpr int kBurnIn = 1000;
    static constexpr int kPerturbPeriod = 1024;

    /// x0 and r derived from 32 bytes of seed material; `perturbKey` (32 bytes) drives the perturbation.
    LscMap(const Bytes& seed, const Bytes& perturbKey);

    double next();
    /// `count` keystream bytes (4 per iterate).
    void fill(uint8_t* out, size_t count);

    [[nodiscard]] double r() const { return m_r; }
    /// True when OpenSSL could not produce the perturbation stream (the cipher then fails as Internal).
    [[nodiscard]] bool failed() const { return m_failed; }

private:
    void perturb();
    void refillPerturbation();

    double m_x = 0.3;
    double m_r = 0.9;
    uint64_t m_step = 0;
    Bytes m_perturbKey;
    Bytes m_perturbStream;
    size_t m_perturbPos = 0;
    bool m_failed = false;
};

/// Bit-level image cipher on the LSC map (Guo et al. 2025; DESIGN §4.3).
///  1. Permutation of all bits: the image's P bit planes (P = 8 or 16) are stacked into a (P·H) × W bit
///     matrix whose rows and then columns are rotated by chaotic amounts, in two rounds.
///  2. Diffusion with ciphertext feedback over the permuted pixel values (each direction with its own
///     map, the two keystreams drawn on two cores), forward
///     c_i = ((v_i ⊕ k_i) + c_{i−1}) mod 2^P, then backward d_i = ((c_i ⊕ k'_i) + d_{i+1}) mod 2^P.
/// Initial values and r come from HKDF-SHA-256 of the 256-bit key with the SHA-256 of the plain image as
/// salt, so one chosen plaintext does not reveal the keystream of another image; the decryptor needs
/// that hash (the sealed container carries it). Exactly invertible.
class LscChaoticCipher
{
public:
    static constexpr int kRounds = 2;

    /// Encrypts `plain` (8 or 16 bit) under a 32-byte key. `plainHash` is SHA-256(plain.pixelBytes()).
    static Result<Image> encrypt(const Image& plain, const Bytes& key, const Bytes& plainHash);
    /// Inverse of encrypt for the same key and hash.
    static Result<Image> decrypt(const Image& cipher, const Bytes& key, const Bytes& plainHash);

    /// `count` bytes of the diffusion keystream for (key, salt) — for statistical test suites.
    static Result<Bytes> keystream(const Bytes& key, const Bytes& salt, size_t count);
};

} // namespace medveil
