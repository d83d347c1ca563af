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

/// The LSC map of version 2 in sixteen interleaved lanes: x ← sinπ(4r·x(1 − x) + (1 − r)·sinπ(x)), the
/// same map as LscMap's (cos(θ − π/2) = sin θ), each lane with its own x0 and r. sinπ is MedVeil's own:
/// the argument reduced exactly to [−½, ½] and an odd Taylor polynomial of degree 21 (error < 2·10⁻¹⁸),
/// so the keystream is the same on every IEEE-754 machine, with no dependence on the C library's sin/cos,
/// and the lanes are independent chains the processor computes side by side in vector registers.
/// Each step yields 4 bytes per lane (the same mantissa folding as LscMap), lane 0 first. Every 1024
/// steps, and at once for a lane that reaches 0, ±1 or a non-finite value, x ← sinπ(x + u) with u from a
/// key-derived AES-CTR stream; 256 burn-in steps.
/// Speed: the steps are computed in blocks, straight into the caller's buffer, with the re-seeding checks
/// one vector comparison a step; fillPair() advances two maps' 32 lanes together, which hides the latency
/// of the polynomial (each lane is a chain of ≈ 60 dependent operations a step) — every lane still goes
/// through exactly the IEEE-754 operations of the description, in its order (test_lsc_cipher).
class LscLaneMap
{
public:
    static constexpr int kLanes = 16;
    static constexpr int kBurnIn = 256;
    static constexpr int kPerturbPeriod = 1024;
    /// Seed bytes per lane: x0 from bytes 0–6, r from bytes 8–14 (as LscMap).
    static constexpr size_t kSeedBytesPerLane = 16;
    static constexpr size_t kBytesPerStep = 4 * kLanes;

    /// `seed`: kLanes · 16 bytes; `perturbKey`: 32 bytes.
    LscLaneMap(const Bytes& seed, const Bytes& perturbKey);

    /// `count` keystream bytes, continuing where the previous call stopped.
    void fill(uint8_t* out, size_t count);
    /// first.fill(firstOut, count) and second.fill(secondOut, count), the two maps' lanes computed together.
    static void fillPair(LscLaneMap& first, uint8_t* firstOut, LscLaneMap& second, uint8_t* secondOut,
                         size_t count);
    /// A map from explicit lane states (x, r) that has taken `stepsTaken` steps, without burn-in: lets the
    /// tests start lanes on the map's fixed points, where the re-seeding path runs.
    static LscLaneMap fromLaneStates(const std::vector<double>& x, const std::vector<double>& r,
                                     const Bytes& perturbKey, uint64_t stepsTaken);

    /// sin(πt) as version 2 computes it (exposed for the known-answer test).
    static double sinPi(double t);

    [[nodiscard]] bool failed() const { return m_failed; }

private:
    LscLaneMap() = default;
    /// fill() for `count` maps side by side (each gets `length` bytes at outs[i]).
    static void fillMaps(LscLaneMap* const* maps, uint8_t* const* outs, int count, size_t length);
    /// Whole steps of one or two maps: kBytesPerStep bytes a step to each out (nullptr: discarded).
    static void runSteps(LscLaneMap* const* maps, uint8_t* const* outs, int count, size_t steps);
    static void runSteps1(LscLaneMap* const* maps, uint8_t* const* outs, size_t steps);
    static void runSteps2(LscLaneMap* const* maps, uint8_t* const* outs, size_t steps);
    template <int Maps> static void advance(LscLaneMap* const* maps, uint8_t* const* outs, size_t steps);
    /// After step m_step: every lane re-seeded on a period step, else the degenerate ones.
    void perturbAfterStep();
    void perturbLane(int lane);
    void refillPerturbation();

    double m_x[kLanes] = {};
    double m_a[kLanes] = {}; ///< 4r
    double m_b[kLanes] = {}; ///< 1 − r
    uint64_t m_step = 0;
    uint8_t m_pending[kBytesPerStep] = {}; ///< the current step's bytes
    size_t m_pendingPos = sizeof m_pending;
    Bytes m_perturbKey;
    Bytes m_perturbStream;
    size_t m_perturbPos = 0;
    bool m_failed = false;
};

/// The cipher's versions. A sealed file names the version it was made with (SealedEmrParameters ≥ 7, the
/// "lsc-cipher 2" container); files without one were made with version 1 and keep opening.
enum class LscCipherVersion : uint8_t
{
    /// Releases before the diffusion fix: LscMap (the C library's sin/cos), one forward and one backward
    /// pass of additive feedback. A one-bit change under the same maps leaves structured differences:
    /// most pairs fail Wu et al.'s critical values (`medveil-cli cipher-analysis --cipher-version 1`).
    V1 = 1,
    /// LscLaneMap; a forward and a backward pass of XOR-then-add-then-rotate feedback with a 64-bit state.
    V2 = 2,
};

/// Bit-level image cipher on the LSC map (Guo et al. 2025; DESIGN §4.3).
///  1. Permutation of all bits: the image's P bit planes (P = 8 or 16) are stacked into a (P·H) × W bit
///     matrix whose rows and then columns are rotated by chaotic amounts, in two rounds.
///  2. Diffusion over the permuted pixel values v_i with keystreams a_i and b_i from two maps (version 1:
///     drawn on two more threads while this one permutes; version 2: both maps' lanes computed together,
///     on the calling thread).
///     Version 1: forward c_i = ((v_i ⊕ a_i) + c_{i−1}) mod 2^P, then backward d_i = ((c_i ⊕ b_i) + d_{i+1}).
///     The carried value is the last output (P bits) and the feedback additive: a difference travels as a
///     fixed offset and cancels in structured ways (a one-bit change under the same maps: NPCR 3–99 %).
///     Version 2: each pass carries a 64-bit state s; out_i = rotl_P(((s mod 2^P) ⊕ a_i) + v_i, b_i mod P),
///     then s ← rotl₆₄((s ⊕ (a_i·2¹⁶ + v_i)·k₁)·k₂, 32) (k₁, k₂ odd); forward, then backward with b and a
///     swapped. The keystream is XORed into the state before the addition (add and XOR do not commute) and
///     the rotation moves high bits down. Each step is a bijection of the pixel (decryption is exact) and of
///     the state, and the state is wider than a pixel: two states that differ stay different (equal again
///     only with probability 2⁻⁶⁴, where a P-bit carry would merge with probability 2⁻ᴾ and leave every
///     position before the change identical), and every output then differs as a random value would.
/// Initial values and r come from HKDF-SHA-256 of the 256-bit key with the SHA-256 of the plain image as
/// salt, so one chosen plaintext does not reveal the keystream of another image; the decryptor needs
/// that hash (the sealed container carries it). Exactly invertible.
class LscChaoticCipher
{
public:
    static constexpr int kRounds = 2;
    static constexpr LscCipherVersion kCurrentVersion = LscCipherVersion::V2;

    /// Encrypts `plain` (8 or 16 bit) under a 32-byte key. `plainHash` is SHA-256(plain.pixelBytes()).
    /// Passing another image's hash encrypts under that image's maps (the same-map diffusion test).
    static Result<Image> encrypt(const Image& plain, const Bytes& key, const Bytes& plainHash,
                                 LscCipherVersion version = kCurrentVersion);
    /// Inverse of encrypt for the same key, hash and version.
    static Result<Image> decrypt(const Image& cipher, const Bytes& key, const Bytes& plainHash,
                                 LscCipherVersion version);

    /// `count` bytes of the forward diffusion keystream for (key, salt) — for statistical test suites and
    /// the known-answer tests.
    static Result<Bytes> keystream(const Bytes& key, const Bytes& salt, size_t count,
                                   LscCipherVersion version);

    /// The version a sealed byte names; BadInput for one this release does not know.
    static Result<LscCipherVersion> versionFromByte(uint8_t value);
};

} // namespace medveil
