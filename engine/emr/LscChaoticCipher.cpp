// SPDX-License-Identifier: GPL-3.0-or-later
#include "emr/LscChaoticCipher.h"

#include "crypto/Digest.h"
#include "crypto/KeyStream.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <numbers>
#include <string>
#include <thread>

namespace medveil {

namespace {

double unitFromBytes(const uint8_t* p)
{
    uint64_t v = 0;
    for (int i = 0; i < 7; ++i)
        v = (v << 8) | p[i];
    return double(v) / double(uint64_t(1) << 56); // [0, 1)
}

uint64_t mantissaOf(double x)
{
    uint64_t bits = 0;
    std::memcpy(&bits, &x, sizeof bits);
    return bits & ((uint64_t(1) << 52) - 1);
}

} // namespace

LscMap::LscMap(const Bytes& seed, const Bytes& perturbKey) : m_perturbKey(perturbKey)
{
    // x0 in (0, 1) away from the fixed points; r in [0.6, 1): the map is chaotic on all of [0, 1].
    m_x = 0.05 + 0.9 * unitFromBytes(seed.data());
    m_r = 0.6 + 0.4 * unitFromBytes(seed.data() + 8);
    refillPerturbation();
    for (int i = 0; i < kBurnIn; ++i)
        next();
}

void LscMap::refillPerturbation()
{
    auto stream = aesCtrKeystream(m_perturbKey, 8 * 4096);
    m_failed = m_failed || !stream;
    m_perturbStream = stream ? std::move(*stream) : Bytes(8 * 4096, 0);
}

void LscMap::perturb()
{
    if (m_perturbPos + 8 > m_perturbStream.size()) {
        // Extend the stream deterministically: re-key with the hash of the current key.
        m_perturbKey = sha256(m_perturbKey);
        refillPerturbation();
        m_perturbPos = 0;
    }
    const double u = unitFromBytes(m_perturbStream.data() + m_perturbPos);
    m_perturbPos += 8;
    m_x = std::cos(std::numbers::pi * (m_x + u)); // a fresh point, still a function of the trajectory
    if (!std::isfinite(m_x) || m_x == 0.0 || std::fabs(m_x) == 1.0)
        m_x = 0.05 + 0.9 * u;
}

double LscMap::next()
{
    const double x = m_x;
    m_x = std::cos(std::numbers::pi *
                   (4.0 * m_r * x * (1.0 - x) + (1.0 - m_r) * std::sin(std::numbers::pi * x) - 0.5));
    ++m_step;
    if (m_step % kPerturbPeriod == 0 || !std::isfinite(m_x) || m_x == 0.0 || std::fabs(m_x) == 1.0)
        perturb();
    return m_x;
}

// Keystream: 32 bits per iterate, mantissa bits 1–32 XOR bits 21–52. Measured over 2·10⁷ iterates, bit 0
// is biased by cos/sin rounding (z = −12), bits 16–18 slightly (z ≈ −3…−4) and the bits above 33 follow the
// map's arcsine-shaped density (z up to +474); taking 48 raw bits failed dieharder's monobit and serial
// tests. XOR of two bits multiplies their biases (piling-up lemma), leaving < 10⁻⁶.
constexpr int kBytesPerIterate = 4;

void LscMap::fill(uint8_t* out, size_t count)
{
    size_t i = 0;
    while (i < count) {
        const uint64_t raw = mantissaOf(next());
        const uint64_t m = (raw >> 1) ^ (raw >> 21); // folding: residual per-bit biases multiply away
        for (int b = 0; b < kBytesPerIterate && i < count; ++b)
            out[i++] = static_cast<uint8_t>(m >> (8 * b));
    }
}

// ---- LscLaneMap (version 2) ----

namespace {

// sin(πy) = Σ S_k y^k, k odd ≤ 21: Taylor coefficients (−1)^((k−1)/2) π^k / k!, each the nearest double.
// |y| ≤ ½ after reduction: the first omitted term is < 1.3·10⁻¹⁸.
constexpr double kS1 = 0x1.921fb54442d18p+1, kS3 = -0x1.4abbce625be53p+2, kS5 = 0x1.466bc6775aae2p+1,
                 kS7 = -0x1.32d2cce62bd86p-1, kS9 = 0x1.50783487ee782p-4, kS11 = -0x1.e3074fde8871fp-8,
                 kS13 = 0x1.e8f434d018d63p-12, kS15 = -0x1.6fadb9f155744p-16, kS17 = 0x1.aaec32af93359p-21,
                 kS19 = -0x1.8a404211f9547p-26, kS21 = 0x1.2877020d52cf0p-31;
// Adding and subtracting 1.5·2^52 rounds a double of magnitude < 2^51 to the nearest integer (ties to
// even) in the default rounding mode, with no library call and the same result everywhere.
constexpr double kRoundMagic = 0x1.8p52;

inline double roundToInteger(double t)
{
    return (t + kRoundMagic) - kRoundMagic;
}

inline bool degenerate(double x)
{
    return !std::isfinite(x) || x == 0.0 || std::fabs(x) == 1.0;
}

} // namespace

double LscLaneMap::sinPi(double t)
{
    const double q = roundToInteger(t);
    const double y = t - q; // exact (Sterbenz): |y| ≤ ½
    const double z = y * y;
    const double p =
        y *
        (kS1 +
         z * (kS3 +
              z * (kS5 +
                   z * (kS7 +
                        z * (kS9 +
                             z * (kS11 + z * (kS13 + z * (kS15 + z * (kS17 + z * (kS19 + z * kS21))))))))));
    // sin(π(q + y)) = (−1)^q sin(πy): q − 2·round(q/2) is 0 or ±1, exactly.
    const double parity = q - 2.0 * roundToInteger(0.5 * q);
    return p * (1.0 - 2.0 * (parity * parity));
}

LscLaneMap::LscLaneMap(const Bytes& seed, const Bytes& perturbKey) : m_perturbKey(perturbKey)
{
    for (int lane = 0; lane < kLanes; ++lane) {
        const uint8_t* s = seed.data() + kSeedBytesPerLane * size_t(lane);
        m_x[lane] = 0.05 + 0.9 * unitFromBytes(s);
        const double r = 0.6 + 0.4 * unitFromBytes(s + 8);
        m_a[lane] = 4.0 * r;
        m_b[lane] = 1.0 - r;
    }
    refillPerturbation();
    LscLaneMap* self = this;
    uint8_t* discard = nullptr; // burn-in output is discarded
    runSteps(&self, &discard, 1, kBurnIn);
}

LscLaneMap LscLaneMap::fromLaneStates(const std::vector<double>& x, const std::vector<double>& r,
                                      const Bytes& perturbKey, uint64_t stepsTaken)
{
    LscLaneMap map;
    map.m_perturbKey = perturbKey;
    map.m_step = stepsTaken;
    for (int lane = 0; lane < kLanes; ++lane) {
        map.m_x[lane] = x[size_t(lane)];
        map.m_a[lane] = 4.0 * r[size_t(lane)];
        map.m_b[lane] = 1.0 - r[size_t(lane)];
    }
    map.refillPerturbation();
    return map;
}

void LscLaneMap::refillPerturbation()
{
    auto stream = aesCtrKeystream(m_perturbKey, 8 * 4096);
    m_failed = m_failed || !stream;
    m_perturbStream = stream ? std::move(*stream) : Bytes(8 * 4096, 0);
}

void LscLaneMap::perturbLane(int lane)
{
    if (m_perturbPos + 8 > m_perturbStream.size()) {
        m_perturbKey = sha256(m_perturbKey);
        refillPerturbation();
        m_perturbPos = 0;
    }
    const double u = unitFromBytes(m_perturbStream.data() + m_perturbPos);
    m_perturbPos += 8;
    m_x[lane] = sinPi(m_x[lane] + u);
    if (degenerate(m_x[lane]))
        m_x[lane] = 0.05 + 0.9 * u;
}

void LscLaneMap::perturbAfterStep()
{
    if (m_step % kPerturbPeriod == 0) {
        for (int lane = 0; lane < kLanes; ++lane)
            perturbLane(lane);
    } else {
        for (int lane = 0; lane < kLanes; ++lane)
            if (degenerate(m_x[lane]))
                perturbLane(lane);
    }
}

namespace {

// Four lanes per vector (GCC/Clang vector extensions: each element operation is one IEEE-754 double
// operation, so every instruction set gives the same bits; -ffp-contract=off keeps FMA out). A cast between
// two of these types reinterprets the bits.
typedef double Doubles4 __attribute__((vector_size(32)));
typedef uint64_t Words4 __attribute__((vector_size(32)));
typedef int64_t Masks4 __attribute__((vector_size(32)));
typedef uint32_t Halves4 __attribute__((vector_size(16)));

/// sinπ of every element of t, as LscLaneMap::sinPi computes it, vector by vector one operation at a time
/// (the vectors are independent chains: the processor overlaps them). The factor (−1)^q is applied as a
/// sign flip: the last bit of t + 1.5·2^52 is the parity of q (|t| < 2^51: here |x| ≤ 1, so |t| < 9), and
/// p·(±1) = ±p exactly. A NaN argument gives a NaN either way, which the step then re-seeds.
template <int V> [[gnu::always_inline]] inline void sinPiVectors(const Doubles4 (&t)[V], Doubles4 (&out)[V])
{
    Doubles4 y[V], z[V], h[V];
    Words4 sign[V];
    for (int v = 0; v < V; ++v) {
        const Doubles4 shifted = t[v] + kRoundMagic;
        y[v] = t[v] - (shifted - kRoundMagic);
        sign[v] = (Words4)shifted << 63;
    }
    for (int v = 0; v < V; ++v)
        z[v] = y[v] * y[v];
    for (int v = 0; v < V; ++v)
        h[v] = z[v] * kS21;
    // Horner's rule from the inside out: h ← c + h, then h ← z·h.
    for (const double c : {kS19, kS17, kS15, kS13, kS11, kS9, kS7, kS5, kS3}) {
        for (int v = 0; v < V; ++v)
            h[v] = c + h[v];
        for (int v = 0; v < V; ++v)
            h[v] = z[v] * h[v];
    }
    for (int v = 0; v < V; ++v)
        h[v] = kS1 + h[v];
    for (int v = 0; v < V; ++v)
        out[v] = (Doubles4)((Words4)(y[v] * h[v]) ^ sign[v]);
}

/// True when an element is 0, ±1 or not finite.
template <int V> [[gnu::always_inline]] inline bool anyDegenerate(const Doubles4 (&x)[V])
{
    constexpr uint64_t absMask = ~(uint64_t(1) << 63);
    Masks4 bad = {};
    for (int v = 0; v < V; ++v) {
        const Doubles4 ax = (Doubles4)((Words4)x[v] & absMask);
        bad |= (ax == 0.0) | (ax == 1.0) | ~(ax <= std::numeric_limits<double>::max());
    }
    return (bad[0] | bad[1] | bad[2] | bad[3]) != 0;
}

/// The folded mantissas of four iterates, as 16 little-endian bytes.
[[gnu::always_inline]] inline void storeFolded(uint8_t* out, const Doubles4& x)
{
    const Words4 raw = (Words4)x & ((uint64_t(1) << 52) - 1);
    const Halves4 folded = __builtin_convertvector((raw >> 1) ^ (raw >> 21), Halves4);
    if constexpr (std::endian::native == std::endian::little) {
        std::memcpy(out, &folded, sizeof folded);
    } else {
        for (int k = 0; k < 4; ++k)
            for (int b = 0; b < 4; ++b)
                out[4 * k + b] = static_cast<uint8_t>(folded[k] >> (8 * b));
    }
}

} // namespace

template <int Maps>
[[gnu::always_inline]] inline void LscLaneMap::advance(LscLaneMap* const* maps, uint8_t* const* outs,
                                                       size_t steps)
{
    constexpr int kVectorsPerMap = kLanes / 4, V = Maps * kVectorsPerMap;
    Doubles4 x[V], a[V], b[V];
    auto load = [&](int m) {
        for (int k = 0; k < kVectorsPerMap; ++k)
            std::memcpy(&x[m * kVectorsPerMap + k], maps[m]->m_x + 4 * k, sizeof(Doubles4));
    };
    auto store = [&](int m) {
        for (int k = 0; k < kVectorsPerMap; ++k)
            std::memcpy(maps[m]->m_x + 4 * k, &x[m * kVectorsPerMap + k], sizeof(Doubles4));
    };
    uint64_t firstStep[Maps];
    uint8_t* out[Maps];
    for (int m = 0; m < Maps; ++m) {
        load(m);
        for (int k = 0; k < kVectorsPerMap; ++k) {
            std::memcpy(&a[m * kVectorsPerMap + k], maps[m]->m_a + 4 * k, sizeof(Doubles4));
            std::memcpy(&b[m * kVectorsPerMap + k], maps[m]->m_b + 4 * k, sizeof(Doubles4));
        }
        firstStep[m] = maps[m]->m_step;
        out[m] = outs[m];
    }
    for (size_t done = 0; done < steps;) {
        // Up to the next period step of any map: inside a block only degenerate lanes need the slow path.
        size_t block = steps - done;
        for (int m = 0; m < Maps; ++m)
            block = std::min<size_t>(block, kPerturbPeriod - (firstStep[m] + done) % kPerturbPeriod);
        for (size_t s = 0; s < block; ++s) {
            Doubles4 sine[V], t[V];
            sinPiVectors<V>(x, sine);
            for (int v = 0; v < V; ++v)
                t[v] = a[v] * x[v] * (1.0 - x[v]) + b[v] * sine[v];
            sinPiVectors<V>(t, x);
            if (s + 1 == block || anyDegenerate<V>(x)) [[unlikely]] {
                for (int m = 0; m < Maps; ++m) {
                    store(m);
                    maps[m]->m_step = firstStep[m] + done + s + 1;
                    maps[m]->perturbAfterStep();
                    load(m);
                }
            }
            for (int m = 0; m < Maps; ++m)
                if (out[m]) {
                    for (int k = 0; k < kVectorsPerMap; ++k)
                        storeFolded(out[m] + 16 * k, x[m * kVectorsPerMap + k]);
                    out[m] += kBytesPerStep;
                }
        }
        done += block;
    }
    for (int m = 0; m < Maps; ++m) {
        store(m);
        maps[m]->m_step = firstStep[m] + steps;
    }
}

// Where the processor has AVX2 the four lanes of a vector are one instruction; with AVX-512 (x86-64-v4)
// the two maps' eight vectors stay in its 32 registers. Every clone computes the same bits: each lane is the
// same sequence of IEEE-754 operations.
#if defined(__x86_64__) && defined(__GNUC__)
[[gnu::target_clones("arch=x86-64-v4", "avx2", "default")]]
#endif
void LscLaneMap::runSteps1(LscLaneMap* const* maps, uint8_t* const* outs, size_t steps)
{
    advance<1>(maps, outs, steps);
}

#if defined(__x86_64__) && defined(__GNUC__)
[[gnu::target_clones("arch=x86-64-v4", "avx2", "default")]]
#endif
void LscLaneMap::runSteps2(LscLaneMap* const* maps, uint8_t* const* outs, size_t steps)
{
    advance<2>(maps, outs, steps);
}

void LscLaneMap::runSteps(LscLaneMap* const* maps, uint8_t* const* outs, int count, size_t steps)
{
    if (steps == 0)
        return;
    if (count == 2)
        runSteps2(maps, outs, steps);
    else
        runSteps1(maps, outs, steps);
}

void LscLaneMap::fillMaps(LscLaneMap* const* maps, uint8_t* const* outs, int count, size_t length)
{
    if (length == 0)
        return;
    size_t done[2] = {};
    size_t common = length;
    for (int m = 0; m < count; ++m) {
        LscLaneMap& map = *maps[m];
        done[m] = std::min(length, sizeof map.m_pending - map.m_pendingPos);
        std::memcpy(outs[m], map.m_pending + map.m_pendingPos, done[m]);
        map.m_pendingPos += done[m];
        common = std::min(common, (length - done[m]) / kBytesPerStep);
    }
    // Whole steps straight into the outputs, the maps side by side.
    uint8_t* whole[2] = {};
    for (int m = 0; m < count; ++m)
        whole[m] = outs[m] + done[m];
    runSteps(maps, whole, count, common);
    for (int m = 0; m < count; ++m) {
        LscLaneMap& map = *maps[m];
        done[m] += common * kBytesPerStep;
        // What is left of this map's share: whole steps (when the maps started at different offsets
        // within a step), then part of one step, kept for the next call.
        LscLaneMap* self = &map;
        uint8_t* rest = outs[m] + done[m];
        const size_t restSteps = (length - done[m]) / kBytesPerStep;
        runSteps(&self, &rest, 1, restSteps);
        done[m] += restSteps * kBytesPerStep;
        if (done[m] < length) {
            uint8_t* pending = map.m_pending;
            runSteps(&self, &pending, 1, 1);
            map.m_pendingPos = length - done[m];
            std::memcpy(outs[m] + done[m], map.m_pending, map.m_pendingPos);
        }
    }
}

void LscLaneMap::fill(uint8_t* out, size_t count)
{
    LscLaneMap* self = this;
    fillMaps(&self, &out, 1, count);
}

void LscLaneMap::fillPair(LscLaneMap& first, uint8_t* firstOut, LscLaneMap& second, uint8_t* secondOut,
                          size_t count)
{
    LscLaneMap* maps[2] = {&first, &second};
    uint8_t* outs[2] = {firstOut, secondOut};
    fillMaps(maps, outs, 2, count);
}

namespace {

struct CipherMaps
{
    LscMap permutation;
    LscMap forward;  ///< keystream of the forward diffusion
    LscMap backward; ///< keystream of the backward diffusion
    Bytes iv;        // 4 bytes: forward and backward initial feedback values
};

Result<CipherMaps> deriveMaps(const Bytes& key, const Bytes& salt)
{
    if (key.size() != 32)
        return makeError(ErrorKind::Internal, "the LSC cipher needs a 256-bit key");
    auto material = hkdfSha256(key, salt, "MedVeil LSC cipher v2", 6 * 32 + 4);
    if (!material)
        return material.error();
    const Bytes& m = *material;
    auto slice = [&](size_t offset, size_t n) {
        return Bytes(m.begin() + long(offset), m.begin() + long(offset + n));
    };
    return CipherMaps{LscMap(slice(0, 32), slice(32, 32)), LscMap(slice(64, 32), slice(96, 32)),
                      LscMap(slice(128, 32), slice(160, 32)), slice(192, 4)};
}

/// A packed bit matrix: element (r, c) is bit c % 64 of word r · wordsPerRow + c / 64; the bits past the
/// last column of a row are zero. Rows are also addressed as bytes (byte c / 8 holds columns c … c + 7),
/// which is the word layout on a little-endian machine.
class BitMatrix
{
public:
    /// rows × cols with every word zero.
    void reset(int rows, int cols)
    {
        reshape(rows, cols);
        std::fill(m_data.begin(), m_data.end(), 0);
    }
    /// rows × cols, contents left as they are (for a writer that sets every word).
    void reshape(int rows, int cols)
    {
        m_rows = rows;
        m_cols = cols;
        m_wpr = (cols + 63) / 64;
        m_data.resize(size_t(rows) * size_t(m_wpr));
    }
    [[nodiscard]] int rows() const { return m_rows; }
    [[nodiscard]] int cols() const { return m_cols; }
    uint64_t* row(int r) { return m_data.data() + size_t(r) * m_wpr; }
    [[nodiscard]] const uint64_t* row(int r) const { return m_data.data() + size_t(r) * m_wpr; }
    uint8_t* rowBytes(int r) { return reinterpret_cast<uint8_t*>(row(r)); }
    [[nodiscard]] const uint8_t* rowBytes(int r) const { return reinterpret_cast<const uint8_t*>(row(r)); }

    /// `out` becomes this matrix with each row r rotated left by shifts[r] (element c moves to
    /// (c − shifts[r]) mod cols; no shifts: as it is), transposed. One pass: 64 rotated rows at a time go
    /// to a strip that stays in the first-level cache, stored so that each 64 × 64 block is contiguous, and
    /// leave it transposed.
#if defined(__x86_64__) && defined(__GNUC__)
    [[gnu::target_clones("avx2", "default")]]
#endif
    void
    rotateRowsTransposedInto(const uint32_t* shifts, BitMatrix& out) const
    {
        out.reshape(m_cols, m_rows);
        m_strip.resize(size_t(64) * m_wpr); // word w of strip row i at [64 · w + i]
        for (int rb = 0; rb < m_rows; rb += 64) {
            const int count = std::min(64, m_rows - rb);
            for (int i = 0; i < count; ++i)
                rotatedRow(rb + i, shifts ? shifts[rb + i] : 0, m_strip.data() + i, 64);
            for (int w = 0; w < m_wpr; ++w)
                std::fill_n(m_strip.data() + 64 * size_t(w) + count, 64 - count, 0);
            for (int w = 0; w < m_wpr; ++w) {
                const uint64_t* in = m_strip.data() + 64 * size_t(w);
                Words4 block[16];
                for (int k = 0; k < 16; ++k)
                    std::memcpy(&block[k], in + 4 * k, sizeof(Words4));
                transpose64(block);
                uint64_t words[64];
                for (int k = 0; k < 16; ++k)
                    std::memcpy(words + 4 * k, &block[k], sizeof(Words4));
                const int outRows = std::min(64, m_cols - 64 * w);
                uint64_t* to = out.row(64 * w) + rb / 64;
                const size_t stride = size_t(out.m_wpr);
                for (int i = 0; i < outRows; ++i)
                    to[size_t(i) * stride] = words[i];
            }
        }
    }

    /// Rotates each row r left by shifts[r], in place.
    void rotateRows(const uint32_t* shifts)
    {
        m_strip.resize(m_wpr);
        for (int r = 0; r < m_rows; ++r) {
            if (shifts[r] == 0)
                continue;
            rotatedRow(r, shifts[r], m_strip.data(), 1);
            std::copy(m_strip.begin(), m_strip.end(), row(r));
        }
    }

private:
    /// Row r rotated left by s (< cols) into dst[0], dst[stride], … (wordsPerRow words): destination bit d
    /// takes source bit (d + s) mod cols.
    [[gnu::always_inline]] void rotatedRow(int r, uint32_t s, uint64_t* dst, size_t stride) const
    {
        const uint64_t* words = row(r);
        const size_t n = size_t(m_wpr);
        if (m_cols % 64 == 0) { // whole words: two shifts a word ((x << 1) << (63 − b) is 0 for b = 0)
            const size_t q = s / 64;
            const unsigned b = s % 64;
            auto word = [&](size_t from, size_t next) {
                return (words[from] >> b) | ((words[next] << 1) << (63 - b));
            };
            // Destination word i takes source words i + q and i + q + 1, modulo n: three runs.
            for (size_t i = 0; i + q + 1 < n; ++i)
                dst[i * stride] = word(i + q, i + q + 1);
            dst[(n - q - 1) * stride] = word(n - 1, 0);
            for (size_t i = n - q; i < n; ++i)
                dst[i * stride] = word(i + q - n, i + q - n + 1);
            return;
        }
        // At most two runs of bits, assembled in the row scratch.
        m_row.assign(n, 0);
        copyBits(words, s, m_row.data(), 0, uint32_t(m_cols) - s);
        copyBits(words, 0, m_row.data(), uint32_t(m_cols) - s, s);
        for (size_t i = 0; i < n; ++i)
            dst[i * stride] = m_row[i];
    }

    /// Copies `count` bits from src (starting at bit `from`) to dst (starting at bit `to`).
    static void copyBits(const uint64_t* src, uint32_t from, uint64_t* dst, uint32_t to, uint32_t count)
    {
        while (count > 0) {
            const uint32_t sOff = from % 64, dOff = to % 64;
            const uint32_t n = std::min({count, 64 - sOff, 64 - dOff});
            const uint64_t mask = n == 64 ? ~uint64_t(0) : ((uint64_t(1) << n) - 1);
            const uint64_t bits = (src[from / 64] >> sOff) & mask;
            dst[to / 64] = (dst[to / 64] & ~(mask << dOff)) | (bits << dOff);
            from += n;
            to += n;
            count -= n;
        }
    }

    /// In-place transpose of a 64 × 64 bit block (row i = element i % 4 of r[i / 4], column j = bit j): six
    /// stages swapping j × j sub-blocks (Hacker's Delight 7-3), four rows a vector. The stages j ≥ 4 pair
    /// whole vectors; j = 2 and 1 pair the elements within one.
    [[gnu::always_inline]] static void transpose64(Words4 (&r)[16])
    {
        auto pairVectors = [&r](int j, uint64_t mask) {
            const int d = j / 4; // vectors between paired rows
            for (int base = 0; base < 16; base += 2 * d)
                for (int k = base; k < base + d; ++k) {
                    const Words4 t = ((r[k] >> j) ^ r[k + d]) & mask;
                    r[k] ^= t << j;
                    r[k + d] ^= t;
                }
        };
        pairVectors(32, 0x00000000FFFFFFFFULL);
        pairVectors(16, 0x0000FFFF0000FFFFULL);
        pairVectors(8, 0x00FF00FF00FF00FFULL);
        pairVectors(4, 0x0F0F0F0F0F0F0F0FULL);
        // Rows 4k + {0, 1} with 4k + {2, 3}, then 4k + {0, 2} with 4k + {1, 3}: t is computed in the
        // first element of each pair (mask zero in the second) and handed to the second by the swap.
        const uint64_t m2 = 0x3333333333333333ULL, m1 = 0x5555555555555555ULL;
        for (Words4& v : r) {
            const Words4 t = ((v >> 2) ^ __builtin_shufflevector(v, v, 2, 3, 0, 1)) & Words4{m2, m2, 0, 0};
            v ^= (t << 2) ^ __builtin_shufflevector(t, t, 2, 3, 0, 1);
        }
        for (Words4& v : r) {
            const Words4 t = ((v >> 1) ^ __builtin_shufflevector(v, v, 1, 0, 3, 2)) & Words4{m1, 0, m1, 0};
            v ^= (t << 1) ^ __builtin_shufflevector(t, t, 1, 0, 3, 2);
        }
    }

    int m_rows = 0, m_cols = 0, m_wpr = 0;
    std::vector<uint64_t> m_data;
    mutable std::vector<uint64_t> m_strip, m_row; ///< scratch of the rotations
};

/// The rotation amounts of the permutation's `kRounds` rounds, drawn from the permutation map before any
/// is applied: per round 4 bytes (little endian) per row, modulo the row length, then per column, modulo the
/// column length. `Map` is LscMap (version 1) or LscLaneMap.
struct PermutationShifts
{
    std::vector<uint32_t> rows[LscChaoticCipher::kRounds], columns[LscChaoticCipher::kRounds];
};

template <typename Map> PermutationShifts drawShifts(Map& map, int rows, int cols)
{
    PermutationShifts shifts;
    std::vector<uint8_t> raw(size_t(rows + cols) * 4);
    for (int round = 0; round < LscChaoticCipher::kRounds; ++round) {
        map.fill(raw.data(), raw.size());
        auto value = [&](size_t i) {
            return uint32_t(raw[4 * i]) | uint32_t(raw[4 * i + 1]) << 8 | uint32_t(raw[4 * i + 2]) << 16 |
                   uint32_t(raw[4 * i + 3]) << 24;
        };
        shifts.rows[round].resize(size_t(rows));
        shifts.columns[round].resize(size_t(cols));
        for (int r = 0; r < rows; ++r)
            shifts.rows[round][size_t(r)] = value(size_t(r)) % uint32_t(cols);
        for (int c = 0; c < cols; ++c)
            shifts.columns[round][size_t(c)] = value(size_t(rows + c)) % uint32_t(rows);
    }
    return shifts;
}

/// Row then column rotations of the (P·H) × W bit matrix, `kRounds` times (or the inverse). Column
/// rotations are row rotations of the transposed matrix; each rotation is fused with the transposition
/// that follows it, so a round is two passes over the matrix. `spare` is scratch.
void permuteBits(BitMatrix& bits, BitMatrix& spare, PermutationShifts shifts, bool inverse)
{
    constexpr int rounds = LscChaoticCipher::kRounds;
    const uint32_t rows = uint32_t(bits.rows()), cols = uint32_t(bits.cols());
    if (!inverse) {
        for (int round = 0; round < rounds; ++round) {
            bits.rotateRowsTransposedInto(shifts.rows[round].data(), spare);
            spare.rotateRowsTransposedInto(shifts.columns[round].data(), bits);
        }
        return;
    }
    // Rotating back by s is rotating on by length − s.
    auto undo = [](std::vector<uint32_t>& amounts, uint32_t length) {
        for (uint32_t& s : amounts)
            s = (length - s) % length;
    };
    bits.rotateRowsTransposedInto(nullptr, spare);
    for (int round = rounds - 1; round >= 0; --round) {
        undo(shifts.columns[round], rows);
        undo(shifts.rows[round], cols);
        spare.rotateRowsTransposedInto(shifts.columns[round].data(), bits);
        if (round > 0)
            bits.rotateRowsTransposedInto(shifts.rows[round].data(), spare);
        else
            bits.rotateRows(shifts.rows[round].data());
    }
}

/// 8×8 bit transpose: bit j of byte i ↔ bit i of byte j (Hacker's Delight 7-3); of each element when W is
/// a vector of words.
template <typename W> [[gnu::always_inline]] inline W transpose8(W x)
{
    W t = (x ^ (x >> 7)) & 0x00AA00AA00AA00AAULL;
    x = x ^ t ^ (t << 7);
    t = (x ^ (x >> 14)) & 0x0000CCCC0000CCCCULL;
    x = x ^ t ^ (t << 14);
    t = (x ^ (x >> 28)) & 0x00000000F0F0F0F0ULL;
    return x ^ t ^ (t << 28);
}

/// Eight 8-bit values (byte `half` of each of p[0..7]) as one word, p[k] in byte k.
template <typename T> inline uint64_t gatherBytes(const T* p, int half)
{
    uint64_t word = 0;
    for (int k = 0; k < 8; ++k)
        word |= uint64_t((p[k] >> (8 * half)) & 0xFFu) << (8 * k);
    return word;
}

// ---- 128 pixels at a time (8- and 16-bit images on little-endian machines) ----

typedef uint8_t Bytes16 __attribute__((vector_size(16)));
typedef uint64_t Words2 __attribute__((vector_size(16)));

/// A 16 × 8 byte matrix (16 words of 8 bytes, two a register, word 2k in the low half of in[k]) transposed:
/// out[p] holds byte p of each of the 16 words, in word order. Four rounds of interleaving (the unpack
/// instructions of every vector instruction set).
[[gnu::always_inline]] inline void wordsToBytePlanes(const Bytes16 (&in)[8], Bytes16 (&out)[8])
{
    Bytes16 s[8], t[8], u[8];
    for (int k = 0; k < 8; ++k) // s[k]: byte p of words 2k and 2k + 1 at 2p and 2p + 1
        s[k] = __builtin_shufflevector(in[k], in[k], 0, 8, 1, 9, 2, 10, 3, 11, 4, 12, 5, 13, 6, 14, 7, 15);
    for (int j = 0; j < 4; ++j) { // words 4j … 4j + 3: t[2j] bytes p < 4 at 4p …, t[2j + 1] bytes p ≥ 4
        t[2 * j] = __builtin_shufflevector(s[2 * j], s[2 * j + 1], 0, 1, 16, 17, 2, 3, 18, 19, 4, 5, 20, 21,
                                           6, 7, 22, 23);
        t[2 * j + 1] = __builtin_shufflevector(s[2 * j], s[2 * j + 1], 8, 9, 24, 25, 10, 11, 26, 27, 12, 13,
                                               28, 29, 14, 15, 30, 31);
    }
    for (int h = 0; h < 2;
         ++h) // u[4h + 2g]: bytes 4h and 4h + 1 of words 8g … 8g + 7; u[4h + 2g + 1]: 4h + 2, 4h + 3
        for (int g = 0; g < 2; ++g) {
            const Bytes16 lo = t[4 * g + h], hi = t[4 * g + 2 + h];
            u[4 * h + 2 * g] =
                __builtin_shufflevector(lo, hi, 0, 1, 2, 3, 16, 17, 18, 19, 4, 5, 6, 7, 20, 21, 22, 23);
            u[4 * h + 2 * g + 1] =
                __builtin_shufflevector(lo, hi, 8, 9, 10, 11, 24, 25, 26, 27, 12, 13, 14, 15, 28, 29, 30, 31);
        }
    for (int h = 0; h < 2; ++h)
        for (int q = 0; q < 2; ++q) {
            const Words2 first = (Words2)u[4 * h + q], second = (Words2)u[4 * h + 2 + q];
            out[4 * h + 2 * q] = (Bytes16)__builtin_shufflevector(first, second, 0, 2);
            out[4 * h + 2 * q + 1] = (Bytes16)__builtin_shufflevector(first, second, 1, 3);
        }
}

/// Inverse of wordsToBytePlanes: the same rounds undone in reverse order.
[[gnu::always_inline]] inline void bytePlanesToWords(const Bytes16 (&in)[8], Bytes16 (&out)[8])
{
    Bytes16 s[8], t[8], u[8];
    for (int h = 0; h < 2; ++h)
        for (int q = 0; q < 2; ++q) {
            const Words2 low = (Words2)in[4 * h + 2 * q], high = (Words2)in[4 * h + 2 * q + 1];
            u[4 * h + q] = (Bytes16)__builtin_shufflevector(low, high, 0, 2);
            u[4 * h + 2 + q] = (Bytes16)__builtin_shufflevector(low, high, 1, 3);
        }
    for (int h = 0; h < 2; ++h)
        for (int g = 0; g < 2; ++g) {
            const Bytes16 first = u[4 * h + 2 * g], second = u[4 * h + 2 * g + 1];
            t[4 * g + h] = __builtin_shufflevector(first, second, 0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19,
                                                   24, 25, 26, 27);
            t[4 * g + 2 + h] = __builtin_shufflevector(first, second, 4, 5, 6, 7, 12, 13, 14, 15, 20, 21, 22,
                                                       23, 28, 29, 30, 31);
        }
    for (int j = 0; j < 4; ++j) {
        s[2 * j] = __builtin_shufflevector(t[2 * j], t[2 * j + 1], 0, 1, 4, 5, 8, 9, 12, 13, 16, 17, 20, 21,
                                           24, 25, 28, 29);
        s[2 * j + 1] = __builtin_shufflevector(t[2 * j], t[2 * j + 1], 2, 3, 6, 7, 10, 11, 14, 15, 18, 19, 22,
                                               23, 26, 27, 30, 31);
    }
    for (int k = 0; k < 8; ++k)
        out[k] = __builtin_shufflevector(s[k], s[k], 0, 2, 4, 6, 8, 10, 12, 14, 1, 3, 5, 7, 9, 11, 13, 15);
}

/// Byte `half` of 16 pixels.
template <typename T> [[gnu::always_inline]] inline Bytes16 loadBytes16(const T* p, int half)
{
    if constexpr (sizeof(T) == 1) {
        Bytes16 v;
        std::memcpy(&v, p, sizeof v);
        return v;
    } else {
        Bytes16 first, second;
        std::memcpy(&first, p, sizeof first);
        std::memcpy(&second, p + 8, sizeof second);
        return half == 0 ? __builtin_shufflevector(first, second, 0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22,
                                                   24, 26, 28, 30)
                         : __builtin_shufflevector(first, second, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23,
                                                   25, 27, 29, 31);
    }
}

/// The bit-matrix bytes of pixels x0 … x0 + 127 of row y (one half of their bytes): eight 8×8 bit
/// transposes a pair of registers, then the 16 × 8 byte transpose; 16 bytes to each plane row.
template <typename T>
[[gnu::always_inline]] inline void planeBytes128(const T* src, int half, uint8_t* const* planeRow, int x0)
{
    Bytes16 words[8], planes[8];
    for (int k = 0; k < 8; ++k)
        words[k] = (Bytes16)transpose8((Words2)loadBytes16(src + x0 + 16 * k, half));
    wordsToBytePlanes(words, planes);
    for (int p = 0; p < 8; ++p)
        std::memcpy(planeRow[p] + x0 / 8, &planes[p], sizeof(Bytes16));
}

/// Inverse of planeBytes128: byte `half` of pixels x0 … x0 + 127, register k = pixels x0 + 16k …
[[gnu::always_inline]] inline void pixelBytes128(const uint8_t* const* planeRow, int x0, Bytes16 (&pixels)[8])
{
    Bytes16 planes[8], words[8];
    for (int p = 0; p < 8; ++p)
        std::memcpy(&planes[p], planeRow[p] + x0 / 8, sizeof(Bytes16));
    bytePlanesToWords(planes, words);
    for (int k = 0; k < 8; ++k)
        pixels[k] = (Bytes16)transpose8((Words2)words[k]);
}

// The byte shuffles above need AVX2's byte permutations to pay (with SSE2 alone they are slower than 8
// pixels at a time): x86 uses them where the processor has AVX2. (Not target_clones: Clang does not clone
// templates.)
#if defined(__x86_64__) && defined(__GNUC__)
#define MEDVEIL_VECTOR_ROWS [[gnu::target("avx2")]]
inline bool vectorRowsAvailable()
{
    static const bool avx2 = __builtin_cpu_supports("avx2");
    return avx2;
}
#else
#define MEDVEIL_VECTOR_ROWS
inline bool vectorRowsAvailable()
{
    return true;
}
#endif

/// planeBytes128 over pixels 0 … whole128 − 1 of a row.
template <typename T>
MEDVEIL_VECTOR_ROWS void planeBytesOfRow(const T* src, int half, uint8_t* const* planeRow, int whole128)
{
    for (int x0 = 0; x0 < whole128; x0 += 128)
        planeBytes128(src, half, planeRow, x0);
}

/// pixelBytes128 over pixels 0 … whole128 − 1 of a row: bytes 0 (8-bit) or 0 and 1 (16-bit) of each pixel.
template <typename T>
MEDVEIL_VECTOR_ROWS void pixelsOfRow(const uint8_t* const* planeRow, T* dst, int whole128)
{
    for (int x0 = 0; x0 < whole128; x0 += 128) {
        Bytes16 low[8];
        pixelBytes128(planeRow, x0, low);
        if constexpr (sizeof(T) == 1) {
            for (int k = 0; k < 8; ++k)
                std::memcpy(dst + x0 + 16 * k, &low[k], sizeof(Bytes16));
        } else {
            Bytes16 high[8];
            pixelBytes128(planeRow + 8, x0, high);
            for (int k = 0; k < 8; ++k) {
                const Bytes16 first = __builtin_shufflevector(low[k], high[k], 0, 16, 1, 17, 2, 18, 3, 19, 4,
                                                              20, 5, 21, 6, 22, 7, 23);
                const Bytes16 second = __builtin_shufflevector(low[k], high[k], 8, 24, 9, 25, 10, 26, 11, 27,
                                                               12, 28, 13, 29, 14, 30, 15, 31);
                std::memcpy(dst + x0 + 16 * k, &first, sizeof first);
                std::memcpy(dst + x0 + 16 * k + 8, &second, sizeof second);
            }
        }
    }
}

/// Bit plane p of image row y becomes matrix row p · H + y. `rowOf(y)` points at row y's W values. 8- and
/// 16-bit rows go 128 pixels at a time (planeBytes128) where vectorRowsAvailable(); the rest, and 32-bit
/// values, 8 at a time: one 8×8 bit transpose turns 8 pixel bytes into 8 plane bytes.
template <typename T, typename Rows>
void toBitMatrix(Rows rowOf, int width, int height, int planes, BitMatrix& bits)
{
    bits.reshape(planes * height, width);
    constexpr bool vectorRows = sizeof(T) <= 2 && std::endian::native == std::endian::little;
    const int whole128 = vectorRows && vectorRowsAvailable() ? width / 128 * 128 : 0, whole = width / 8 * 8;
    if (width % 64 != 0) // a partial last word: zero past the last column, its tail bits set one by one
        for (int r = 0; r < bits.rows(); ++r)
            bits.row(r)[width / 64] = 0;
    for (int y = 0; y < height; ++y) {
        const T* src = rowOf(y);
        for (int half = 0; half < planes / 8; ++half) {
            uint8_t* planeRow[8];
            for (int p = 0; p < 8; ++p)
                planeRow[p] = bits.rowBytes((8 * half + p) * height + y);
            if constexpr (vectorRows)
                if (whole128 > 0)
                    planeBytesOfRow<T>(src, half, planeRow, whole128);
            for (int x0 = whole128; x0 < whole; x0 += 8) {
                const uint64_t planeBytes = transpose8(gatherBytes(src + x0, half));
                for (int p = 0; p < 8; ++p)
                    planeRow[p][x0 / 8] = static_cast<uint8_t>(planeBytes >> (8 * p));
            }
        }
        for (int p = 0; p < planes; ++p) {
            uint64_t* dst = bits.row(p * height + y);
            for (int x = whole; x < width; ++x)
                dst[x / 64] |= uint64_t((src[x] >> p) & 1u) << (x % 64);
        }
    }
}

/// Inverse of toBitMatrix: `rowOf(y)` points at row y's W values to be written.
template <typename T, typename Rows>
void fromBitMatrix(const BitMatrix& bits, int width, int height, int planes, Rows rowOf)
{
    constexpr bool vectorRows = sizeof(T) <= 2 && std::endian::native == std::endian::little;
    const int whole128 = vectorRows && vectorRowsAvailable() ? width / 128 * 128 : 0, whole = width / 8 * 8;
    for (int y = 0; y < height; ++y) {
        T* dst = rowOf(y);
        const uint8_t* planeRow[16];
        for (int p = 0; p < planes; ++p)
            planeRow[p] = bits.rowBytes(p * height + y);
        if constexpr (vectorRows)
            if (whole128 > 0)
                pixelsOfRow<T>(planeRow, dst, whole128);
        for (int x0 = whole128; x0 < whole; x0 += 8) {
            uint64_t pixelBytes[2] = {};
            for (int half = 0; half < planes / 8; ++half) {
                uint64_t planeBytes = 0;
                for (int p = 0; p < 8; ++p)
                    planeBytes |= uint64_t(planeRow[8 * half + p][x0 / 8]) << (8 * p);
                pixelBytes[half] = transpose8(planeBytes);
            }
            for (int k = 0; k < 8; ++k)
                dst[x0 + k] = static_cast<T>(((pixelBytes[0] >> (8 * k)) & 0xFFu) |
                                             ((pixelBytes[1] >> (8 * k)) & 0xFFu) << 8);
        }
        for (int x = whole; x < width; ++x) {
            uint32_t value = 0;
            for (int p = 0; p < planes; ++p)
                value |= uint32_t((bits.row(p * height + y)[x / 64] >> (x % 64)) & 1u) << p;
            dst[x] = static_cast<T>(value);
        }
    }
}

/// The rows of a W × H array of values.
template <typename T> auto rowsOf(T* values, int width)
{
    return [values, width](int y) { return values + size_t(y) * size_t(width); };
}

/// The rows of an image's pixels as T.
template <typename T> auto rowsOf(const Image& image)
{
    return [&image](int y) { return image.mat().ptr<T>(y); };
}
template <typename T> auto rowsOf(Image& image)
{
    return [&image](int y) { return image.mat().ptr<T>(y); };
}

std::vector<uint32_t> pixelValues(const Image& image)
{
    std::vector<uint32_t> v;
    v.reserve(image.pixelCount());
    for (int y = 0; y < image.height(); ++y) {
        if (image.bitDepth() == 16) {
            const auto* p = image.mat().ptr<uint16_t>(y);
            v.insert(v.end(), p, p + image.width());
        } else {
            const auto* p = image.mat().ptr<uint8_t>(y);
            v.insert(v.end(), p, p + image.width());
        }
    }
    return v;
}

Result<Image> imageFrom(const std::vector<uint32_t>& v, int width, int height, int depth)
{
    MEDVEIL_ASSIGN_OR_RETURN(Image out, Image::create(width, height, depth));
    for (int y = 0; y < height; ++y) {
        const uint32_t* src = v.data() + size_t(y) * width;
        if (depth == 16) {
            auto* p = out.mat().ptr<uint16_t>(y);
            for (int x = 0; x < width; ++x)
                p[x] = static_cast<uint16_t>(src[x]);
        } else {
            auto* p = out.mat().ptr<uint8_t>(y);
            for (int x = 0; x < width; ++x)
                p[x] = static_cast<uint8_t>(src[x]);
        }
    }
    return out;
}

std::vector<uint32_t> diffusionStream(LscMap& map, size_t count, int planes)
{
    const size_t bytesPer = planes == 16 ? 2 : 1;
    std::vector<uint8_t> raw(count * bytesPer);
    map.fill(raw.data(), raw.size());
    std::vector<uint32_t> k(count);
    for (size_t i = 0; i < count; ++i)
        k[i] = bytesPer == 2 ? (uint32_t(raw[2 * i]) | uint32_t(raw[2 * i + 1]) << 8) : raw[i];
    return k;
}

Status checkArguments(const Image& image, const Bytes& plainHash)
{
    if (image.empty())
        return makeError(ErrorKind::BadInput, "cannot encrypt an empty image");
    if (plainHash.size() != 32)
        return makeError(ErrorKind::Internal, "the plain-image hash must be a SHA-256");
    return {};
}

Result<Image> encryptV1(const Image& plain, const Bytes& key, const Bytes& plainHash)
{
    auto maps = deriveMaps(key, plainHash);
    if (!maps)
        return maps.error();
    const int planes = plain.bitDepth(), w = plain.width(), h = plain.height();
    const uint32_t mask = uint32_t(plain.maxValue());
    const size_t n = size_t(w) * h;
    // Three independent maps: both diffusion keystreams are drawn on their own threads while this one
    // permutes the bits, so the work spreads evenly over two cores (the keystreams dominate: sin/cos).
    std::vector<uint32_t> k1, k2;
    std::thread forward([&] { k1 = diffusionStream(maps->forward, n, planes); });
    std::thread backward([&] { k2 = diffusionStream(maps->backward, n, planes); });
    BitMatrix bits, spare;
    std::vector<uint32_t> v = pixelValues(plain);
    toBitMatrix<uint32_t>(rowsOf(v.data(), w), w, h, planes, bits);
    permuteBits(bits, spare, drawShifts(maps->permutation, bits.rows(), bits.cols()), false);
    fromBitMatrix<uint32_t>(bits, w, h, planes, rowsOf(v.data(), w));
    forward.join();
    backward.join();
    uint32_t previous = (uint32_t(maps->iv[0]) | uint32_t(maps->iv[1]) << 8) & mask;
    for (size_t i = 0; i < n; ++i)
        previous = v[i] = ((v[i] ^ k1[i]) + previous) & mask;
    uint32_t next = (uint32_t(maps->iv[2]) | uint32_t(maps->iv[3]) << 8) & mask;
    for (size_t i = n; i-- > 0;)
        next = v[i] = ((v[i] ^ k2[i]) + next) & mask;
    if (maps->permutation.failed() || maps->forward.failed() || maps->backward.failed())
        return makeError(ErrorKind::Internal, "OpenSSL could not generate the cipher's perturbation stream");
    return imageFrom(v, w, h, planes);
}

Result<Image> decryptV1(const Image& cipher, const Bytes& key, const Bytes& plainHash)
{
    auto maps = deriveMaps(key, plainHash);
    if (!maps)
        return maps.error();
    const int planes = cipher.bitDepth(), w = cipher.width(), h = cipher.height();
    const uint32_t mask = uint32_t(cipher.maxValue());
    std::vector<uint32_t> v = pixelValues(cipher);
    const size_t n = v.size();
    std::vector<uint32_t> k1;
    std::thread forward([&] { k1 = diffusionStream(maps->forward, n, planes); });
    const auto k2 = diffusionStream(maps->backward, n, planes);
    forward.join();
    const uint32_t iv2 = (uint32_t(maps->iv[2]) | uint32_t(maps->iv[3]) << 8) & mask;
    for (size_t i = 0; i < n; ++i) {
        const uint32_t following = i + 1 < n ? v[i + 1] : iv2;
        v[i] = ((v[i] - following) & mask) ^ k2[i];
    }
    uint32_t previous = (uint32_t(maps->iv[0]) | uint32_t(maps->iv[1]) << 8) & mask;
    for (size_t i = 0; i < n; ++i) {
        const uint32_t c = v[i];
        v[i] = ((c - previous) & mask) ^ k1[i];
        previous = c;
    }
    BitMatrix bits, spare;
    toBitMatrix<uint32_t>(rowsOf(v.data(), w), w, h, planes, bits);
    permuteBits(bits, spare, drawShifts(maps->permutation, bits.rows(), bits.cols()), true);
    fromBitMatrix<uint32_t>(bits, w, h, planes, rowsOf(v.data(), w));
    if (maps->permutation.failed() || maps->forward.failed() || maps->backward.failed())
        return makeError(ErrorKind::Internal, "OpenSSL could not generate the cipher's perturbation stream");
    return imageFrom(v, w, h, planes);
}

// ---- version 2 ----

struct CipherMapsV2
{
    LscLaneMap permutation;
    LscLaneMap forward;  ///< a_i
    LscLaneMap backward; ///< b_i
    Bytes iv;            ///< 16 bytes: the initial 64-bit state of each pass
};

Result<CipherMapsV2> deriveMapsV2(const Bytes& key, const Bytes& salt)
{
    if (key.size() != 32)
        return makeError(ErrorKind::Internal, "the LSC cipher needs a 256-bit key");
    constexpr size_t seedBytes = LscLaneMap::kLanes * LscLaneMap::kSeedBytesPerLane, perMap = seedBytes + 32;
    auto material = hkdfSha256(key, salt, "MedVeil LSC cipher version 2", 3 * perMap + 16);
    if (!material)
        return material.error();
    const Bytes& m = *material;
    auto slice = [&](size_t offset, size_t n) {
        return Bytes(m.begin() + long(offset), m.begin() + long(offset + n));
    };
    auto map = [&](size_t index) {
        return LscLaneMap(slice(index * perMap, seedBytes), slice(index * perMap + seedBytes, 32));
    };
    return CipherMapsV2{map(0), map(1), map(2), slice(3 * perMap, 16)};
}

/// Both diffusion keystreams, a_i and b_i (little-endian 16-bit values for 16-bit images), their maps'
/// lanes computed together.
template <typename T> void drawStreams(CipherMapsV2& maps, std::vector<T>& a, std::vector<T>& b)
{
    LscLaneMap::fillPair(maps.forward, reinterpret_cast<uint8_t*>(a.data()), maps.backward,
                         reinterpret_cast<uint8_t*>(b.data()), a.size() * sizeof(T));
    if constexpr (sizeof(T) == 2 && std::endian::native == std::endian::big)
        for (std::vector<T>* k : {&a, &b})
            for (T& value : *k)
                value =
                    static_cast<T>((value >> 8) | (value << 8)); // the stream's byte order is little endian
}

template <typename T> inline T rotateLeft(T x, unsigned s)
{
    constexpr unsigned bits = 8 * sizeof(T);
    return static_cast<T>((x << s) | (x >> ((bits - s) & (bits - 1))));
}

template <typename T> inline T rotateRight(T x, unsigned s)
{
    constexpr unsigned bits = 8 * sizeof(T);
    return static_cast<T>((x >> s) | (x << ((bits - s) & (bits - 1))));
}

// The carried state's mixing: XOR of (key_i · 2¹⁶ + pixel) times an odd constant (distinct pixels give
// distinct terms; the keystream makes the step nonlinear in the state even where the pixels repeat), a
// multiplication by another odd constant (carries spread every bit upward) and a half rotation (the
// product's mixed high half becomes the low bits the next output uses). A bijection of the state for each
// pixel value, so two states that differ never become equal unless the pixels differ too, and then with
// probability 2⁻⁶⁴.
constexpr uint64_t kMixPixel = 0x9E3779B97F4A7C15ULL, kMixState = 0xD6E8FEB86659FD93ULL;

inline uint64_t mixState(uint64_t state, uint32_t pixel, uint32_t key)
{
    return std::rotl((state ^ ((uint64_t(key) << 16 | pixel) * kMixPixel)) * kMixState, 32);
}

/// One feedback pass over i = 0 … n−1 (or backward): out_i = rotl_P((s ⊕ key_i) + v_i mod 2^P, turn_i mod P)
/// with s the low P bits of the 64-bit carried state, then state ← mixState(state, v_i, key_i).
template <typename T>
void feedbackPass(T* v, const T* key, const T* turn, size_t n, uint64_t state, bool backward)
{
    constexpr unsigned mask = 8 * sizeof(T) - 1;
    auto step = [&](size_t i) {
        const T in = v[i];
        v[i] = rotateLeft<T>(static_cast<T>((static_cast<T>(state) ^ key[i]) + in), turn[i] & mask);
        state = mixState(state, in, key[i]);
    };
    if (!backward) {
        for (size_t i = 0; i < n; ++i)
            step(i);
    } else {
        for (size_t i = n; i-- > 0;)
            step(i);
    }
}

/// Inverse of feedbackPass, in the same direction (the state follows the recovered pixels).
template <typename T>
void undoFeedbackPass(T* v, const T* key, const T* turn, size_t n, uint64_t state, bool backward)
{
    constexpr unsigned mask = 8 * sizeof(T) - 1;
    auto step = [&](size_t i) {
        const T in = static_cast<T>(rotateRight<T>(v[i], turn[i] & mask) - (static_cast<T>(state) ^ key[i]));
        v[i] = in;
        state = mixState(state, in, key[i]);
    };
    if (!backward) {
        for (size_t i = 0; i < n; ++i)
            step(i);
    } else {
        for (size_t i = n; i-- > 0;)
            step(i);
    }
}

/// The initial state of pass `pass` (0 forward, 1 backward): 8 key-derived bytes, little endian.
uint64_t initialState(const Bytes& iv, int pass)
{
    uint64_t state = 0;
    for (int b = 7; b >= 0; --b)
        state = state << 8 | iv[size_t(8 * pass + b)];
    return state;
}

/// The image's pixels as one W·H array: its own buffer where it is one block (a new image is), else
/// `scratch`; storePixels() copies scratch back.
template <typename T> T* pixelArray(Image& image, std::vector<T>& scratch)
{
    if (image.mat().isContinuous())
        return image.mat().ptr<T>(0);
    scratch.resize(image.pixelCount());
    return scratch.data();
}

template <typename T> void storePixels(const std::vector<T>& scratch, Image& image)
{
    if (scratch.empty())
        return;
    for (int y = 0; y < image.height(); ++y)
        std::copy_n(scratch.data() + size_t(y) * image.width(), image.width(), image.mat().ptr<T>(y));
}

template <typename T> Result<Image> encryptV2Typed(const Image& plain, CipherMapsV2& maps)
{
    const int planes = plain.bitDepth(), w = plain.width(), h = plain.height();
    const size_t n = size_t(w) * h;
    MEDVEIL_ASSIGN_OR_RETURN(Image out, Image::create(w, h, planes));
    // All on the calling thread. A helper thread for the keystreams (a third of the work) gains little
    // where a second core is idle and costs much where it is busy: the helper first waits for a processor,
    // a scheduler time slice of milliseconds, more than the whole cipher (bench_cipher beside a training
    // job: median 4.3 ms with the helper, 1.6 ms without).
    std::vector<T> a(n), b(n);
    drawStreams<T>(maps, a, b);
    BitMatrix bits, spare;
    toBitMatrix<T>(rowsOf<T>(plain), w, h, planes, bits);
    permuteBits(bits, spare, drawShifts(maps.permutation, bits.rows(), bits.cols()), false);
    std::vector<T> scratch;
    T* v = pixelArray<T>(out, scratch);
    fromBitMatrix<T>(bits, w, h, planes, rowsOf(v, w));
    feedbackPass<T>(v, a.data(), b.data(), n, initialState(maps.iv, 0), false);
    feedbackPass<T>(v, b.data(), a.data(), n, initialState(maps.iv, 1), true);
    storePixels<T>(scratch, out);
    if (maps.permutation.failed() || maps.forward.failed() || maps.backward.failed())
        return makeError(ErrorKind::Internal, "OpenSSL could not generate the cipher's perturbation stream");
    return out;
}

template <typename T> Result<Image> decryptV2Typed(const Image& cipher, CipherMapsV2& maps)
{
    const int planes = cipher.bitDepth(), w = cipher.width(), h = cipher.height();
    const size_t n = size_t(w) * h;
    MEDVEIL_ASSIGN_OR_RETURN(Image out, Image::create(w, h, planes));
    std::vector<T> a(n), b(n);
    drawStreams<T>(maps, a, b); // on this thread, as in encryptV2Typed
    std::vector<T> v(n);
    for (int y = 0; y < h; ++y)
        std::copy_n(cipher.mat().ptr<T>(y), w, v.data() + size_t(y) * w);
    undoFeedbackPass<T>(v.data(), b.data(), a.data(), n, initialState(maps.iv, 1), true);
    undoFeedbackPass<T>(v.data(), a.data(), b.data(), n, initialState(maps.iv, 0), false);
    BitMatrix bits, spare;
    toBitMatrix<T>(rowsOf(v.data(), w), w, h, planes, bits);
    permuteBits(bits, spare, drawShifts(maps.permutation, bits.rows(), bits.cols()), true);
    fromBitMatrix<T>(bits, w, h, planes, rowsOf<T>(out));
    if (maps.permutation.failed() || maps.forward.failed() || maps.backward.failed())
        return makeError(ErrorKind::Internal, "OpenSSL could not generate the cipher's perturbation stream");
    return out;
}

Result<Image> encryptV2(const Image& plain, const Bytes& key, const Bytes& plainHash)
{
    MEDVEIL_ASSIGN_OR_RETURN(CipherMapsV2 maps, deriveMapsV2(key, plainHash));
    return plain.bitDepth() == 16 ? encryptV2Typed<uint16_t>(plain, maps)
                                  : encryptV2Typed<uint8_t>(plain, maps);
}

Result<Image> decryptV2(const Image& cipher, const Bytes& key, const Bytes& plainHash)
{
    MEDVEIL_ASSIGN_OR_RETURN(CipherMapsV2 maps, deriveMapsV2(key, plainHash));
    return cipher.bitDepth() == 16 ? decryptV2Typed<uint16_t>(cipher, maps)
                                   : decryptV2Typed<uint8_t>(cipher, maps);
}

} // namespace

Result<Image> LscChaoticCipher::encrypt(const Image& plain, const Bytes& key, const Bytes& plainHash,
                                        LscCipherVersion version)
{
    MEDVEIL_TRY(checkArguments(plain, plainHash));
    if (plain.bitDepth() != 8 && plain.bitDepth() != 16)
        return makeError(ErrorKind::BadInput, "the LSC cipher takes 8- or 16-bit images");
    return version == LscCipherVersion::V1 ? encryptV1(plain, key, plainHash)
                                           : encryptV2(plain, key, plainHash);
}

Result<Image> LscChaoticCipher::decrypt(const Image& cipher, const Bytes& key, const Bytes& plainHash,
                                        LscCipherVersion version)
{
    MEDVEIL_TRY(checkArguments(cipher, plainHash));
    if (cipher.bitDepth() != 8 && cipher.bitDepth() != 16)
        return makeError(ErrorKind::BadInput, "the LSC cipher takes 8- or 16-bit images");
    return version == LscCipherVersion::V1 ? decryptV1(cipher, key, plainHash)
                                           : decryptV2(cipher, key, plainHash);
}

Result<Bytes> LscChaoticCipher::keystream(const Bytes& key, const Bytes& salt, size_t count,
                                          LscCipherVersion version)
{
    Bytes out(count);
    if (version == LscCipherVersion::V1) {
        MEDVEIL_ASSIGN_OR_RETURN(CipherMaps maps, deriveMaps(key, salt));
        maps.forward.fill(out.data(), out.size());
    } else {
        MEDVEIL_ASSIGN_OR_RETURN(CipherMapsV2 maps, deriveMapsV2(key, salt));
        maps.forward.fill(out.data(), out.size());
        if (maps.forward.failed())
            return makeError(ErrorKind::Internal,
                             "OpenSSL could not generate the cipher's perturbation stream");
    }
    return out;
}

Result<LscCipherVersion> LscChaoticCipher::versionFromByte(uint8_t value)
{
    if (value == uint8_t(LscCipherVersion::V1) || value == uint8_t(LscCipherVersion::V2))
        return static_cast<LscCipherVersion>(value);
    return makeError(ErrorKind::BadInput, "unknown LSC cipher version " + std::to_string(value));
}

} // namespace medveil
