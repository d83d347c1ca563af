// SPDX-License-Identifier: GPL-3.0-or-later
#include "emr/LscChaoticCipher.h"

#include "crypto/Digest.h"
#include "crypto/KeyStream.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
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

namespace {

/// LscLaneMap::sinPi, inlined into the lane loop so that the lanes vectorise.
[[gnu::always_inline]] inline double sinPiInline(double t)
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
    // sin(π(q + y)) = (−1)^q sin(πy); the parity of q without an integer conversion keeps the lanes in
    // vector registers: q − 2·round(q/2) is 0 or ±1, exactly.
    const double parity = q - 2.0 * roundToInteger(0.5 * q);
    return p * (1.0 - 2.0 * (parity * parity));
}

} // namespace

double LscLaneMap::sinPi(double t)
{
    return sinPiInline(t);
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
    for (int i = 0; i < kBurnIn; ++i)
        step();
    m_pendingPos = sizeof m_pending; // burn-in output is discarded
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

#if defined(__x86_64__) && defined(__GNUC__)
// Four lanes per instruction where the processor has AVX2 (each operation is still one IEEE-754 double
// operation, so both clones compute the same bits; -ffp-contract=off keeps FMA out of the AVX2 clone).
[[gnu::target_clones("avx2", "default")]]
#endif
void LscLaneMap::step()
{
    double next[kLanes];
    for (int lane = 0; lane < kLanes; ++lane) {
        const double x = m_x[lane];
        next[lane] = sinPiInline(m_a[lane] * x * (1.0 - x) + m_b[lane] * sinPiInline(x));
    }
    bool anyDegenerate = false;
    for (int lane = 0; lane < kLanes; ++lane) {
        m_x[lane] = next[lane];
        anyDegenerate = anyDegenerate || degenerate(next[lane]);
    }
    ++m_step;
    if (m_step % kPerturbPeriod == 0) {
        for (int lane = 0; lane < kLanes; ++lane)
            perturbLane(lane);
    } else if (anyDegenerate) {
        for (int lane = 0; lane < kLanes; ++lane)
            if (degenerate(m_x[lane]))
                perturbLane(lane);
    }
    // As LscMap: the bytes are those of the state after any perturbation.
    for (int lane = 0; lane < kLanes; ++lane) {
        const uint64_t raw = mantissaOf(m_x[lane]);
        const uint64_t m = (raw >> 1) ^ (raw >> 21);
        for (int b = 0; b < 4; ++b)
            m_pending[4 * lane + b] = static_cast<uint8_t>(m >> (8 * b));
    }
    m_pendingPos = 0;
}

void LscLaneMap::fill(uint8_t* out, size_t count)
{
    size_t i = 0;
    while (i < count && m_pendingPos < sizeof m_pending)
        out[i++] = m_pending[m_pendingPos++];
    // Whole steps straight into the output.
    while (count - i >= sizeof m_pending) {
        step();
        std::memcpy(out + i, m_pending, sizeof m_pending);
        i += sizeof m_pending;
        m_pendingPos = sizeof m_pending;
    }
    if (i < count) {
        step();
        while (i < count)
            out[i++] = m_pending[m_pendingPos++];
    }
}

void LscLaneMap::fillPair(LscLaneMap& first, uint8_t* firstOut, LscLaneMap& second, uint8_t* secondOut,
                          size_t count)
{
    first.fill(firstOut, count);
    second.fill(secondOut, count);
}

LscLaneMap LscLaneMap::fromLaneStates(const std::vector<double>& x, const std::vector<double>& r,
                                      const Bytes& perturbKey, uint64_t stepsTaken)
{
    LscLaneMap map(Bytes(kLanes * kSeedBytesPerLane, 0), perturbKey);
    map.m_perturbPos = 0;
    map.m_step = stepsTaken;
    for (int lane = 0; lane < kLanes; ++lane) {
        map.m_x[lane] = x[size_t(lane)];
        map.m_a[lane] = 4.0 * r[size_t(lane)];
        map.m_b[lane] = 1.0 - r[size_t(lane)];
    }
    return map;
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

/// A packed bit matrix: element (r, c) is bit c % 64 of word r · wordsPerRow + c / 64.
class BitMatrix
{
public:
    BitMatrix(int rows, int cols) : m_rows(rows), m_cols(cols), m_wpr((cols + 63) / 64)
    {
        m_data.assign(size_t(rows) * m_wpr, 0);
    }
    [[nodiscard]] int rows() const { return m_rows; }
    [[nodiscard]] int cols() const { return m_cols; }
    uint64_t* row(int r) { return m_data.data() + size_t(r) * m_wpr; }
    [[nodiscard]] const uint64_t* row(int r) const { return m_data.data() + size_t(r) * m_wpr; }

    /// Rotates row r left by s (element c moves to (c − s) mod cols).
    void rotateRow(int r, uint32_t s, std::vector<uint64_t>& scratch)
    {
        if (s == 0)
            return;
        uint64_t* words = row(r);
        if (m_cols % 64 ==
            0) { // whole words (widths of 64k pixels, P·H for heights of 8k): two shifts a word
            const size_t n = size_t(m_wpr), q = s / 64, b = s % 64;
            scratch.resize(n);
            for (size_t i = 0, from = q; i < n; ++i) {
                const size_t next = from + 1 == n ? 0 : from + 1;
                scratch[i] = b == 0 ? words[from] : (words[from] >> b) | (words[next] << (64 - b));
                from = next;
            }
            std::copy(scratch.begin(), scratch.end(), words);
            return;
        }
        scratch.assign(size_t(m_wpr), 0);
        // Destination bit d takes source bit (d + s) mod cols; copy in at most two runs.
        copyBits(words, s, scratch.data(), 0, uint32_t(m_cols) - s);
        copyBits(words, 0, scratch.data(), uint32_t(m_cols) - s, s);
        std::copy(scratch.begin(), scratch.end(), words);
    }

    /// The transposed matrix (cols × rows).
    [[nodiscard]] BitMatrix transposed() const
    {
        BitMatrix out(m_cols, m_rows);
        uint64_t block[64];
        for (int rb = 0; rb < m_rows; rb += 64) {
            for (int wb = 0; wb < m_wpr; ++wb) {
                for (int i = 0; i < 64; ++i)
                    block[i] = rb + i < m_rows ? row(rb + i)[wb] : 0;
                transpose64(block);
                for (int i = 0; i < 64 && wb * 64 + i < m_cols; ++i)
                    out.row(wb * 64 + i)[rb / 64] = block[i];
            }
        }
        return out;
    }

private:
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

    /// In-place transpose of a 64 × 64 bit block (row i = a[i], column j = bit j): six stages swapping
    /// j × j sub-blocks; the inner loops run over contiguous words, so they vectorise.
    static void transpose64(uint64_t a[64])
    {
        uint64_t m = 0x00000000FFFFFFFFULL;
        for (int j = 32; j != 0; j >>= 1, m ^= (m << j)) {
            for (int base = 0; base < 64; base += 2 * j) {
                for (int k = base; k < base + j; ++k) {
                    const uint64_t t = ((a[k] >> j) ^ a[k + j]) & m;
                    a[k] ^= t << j;
                    a[k + j] ^= t;
                }
            }
        }
    }

    int m_rows, m_cols, m_wpr;
    std::vector<uint64_t> m_data;
};

/// Row then column rotations of the (P·H) × W bit matrix, `kRounds` times (or the inverse). Column
/// rotations are row rotations of the transposed matrix. `Map` is LscMap (version 1) or LscLaneMap.
template <typename Map> void permuteBits(BitMatrix& bits, Map& map, bool inverse)
{
    const int rounds = LscChaoticCipher::kRounds;
    const int rows = bits.rows(), cols = bits.cols();
    std::vector<std::vector<uint32_t>> rowShift(static_cast<size_t>(rounds)),
        colShift(static_cast<size_t>(rounds));
    for (int round = 0; round < rounds; ++round) {
        std::vector<uint8_t> raw(size_t(rows + cols) * 4);
        map.fill(raw.data(), raw.size());
        auto value = [&](size_t i) {
            return uint32_t(raw[4 * i]) | uint32_t(raw[4 * i + 1]) << 8 | uint32_t(raw[4 * i + 2]) << 16 |
                   uint32_t(raw[4 * i + 3]) << 24;
        };
        for (int r = 0; r < rows; ++r)
            rowShift[size_t(round)].push_back(value(size_t(r)) % uint32_t(cols));
        for (int c = 0; c < cols; ++c)
            colShift[size_t(round)].push_back(value(size_t(rows + c)) % uint32_t(rows));
    }
    std::vector<uint64_t> scratch;
    auto rotateAll = [&](BitMatrix& m, const std::vector<uint32_t>& shifts, bool backwards) {
        const uint32_t length = uint32_t(m.cols());
        for (int r = 0; r < m.rows(); ++r)
            m.rotateRow(r, backwards ? (length - shifts[size_t(r)]) % length : shifts[size_t(r)], scratch);
    };
    for (int step = 0; step < rounds; ++step) {
        const size_t round = size_t(inverse ? rounds - 1 - step : step);
        if (!inverse) {
            rotateAll(bits, rowShift[round], false);
            BitMatrix t = bits.transposed();
            rotateAll(t, colShift[round], false);
            bits = t.transposed();
        } else {
            BitMatrix t = bits.transposed();
            rotateAll(t, colShift[round], true);
            bits = t.transposed();
            rotateAll(bits, rowShift[round], true);
        }
    }
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

/// 8×8 bit transpose: bit j of byte i ↔ bit i of byte j (Hacker's Delight 7-3).
inline uint64_t transpose8(uint64_t x)
{
    uint64_t t = (x ^ (x >> 7)) & 0x00AA00AA00AA00AAULL;
    x = x ^ t ^ (t << 7);
    t = (x ^ (x >> 14)) & 0x0000CCCC0000CCCCULL;
    x = x ^ t ^ (t << 14);
    t = (x ^ (x >> 28)) & 0x00000000F0F0F0F0ULL;
    return x ^ t ^ (t << 28);
}

/// Bit plane p of image row y becomes matrix row p · H + y. Eight pixels at a time: one 8×8 bit
/// transpose turns 8 pixel bytes into 8 plane bytes (little-endian rows are addressed as bytes).
BitMatrix toBitMatrix(const std::vector<uint32_t>& values, int width, int height, int planes)
{
    BitMatrix bits(planes * height, width);
    const int whole = width / 8 * 8;
    for (int y = 0; y < height; ++y) {
        const uint32_t* src = values.data() + size_t(y) * width;
        for (int half = 0; half < planes / 8; ++half) {
            for (int x0 = 0; x0 < whole; x0 += 8) {
                uint64_t word = 0;
                for (int k = 0; k < 8; ++k)
                    word |= uint64_t((src[x0 + k] >> (8 * half)) & 0xFFu) << (8 * k);
                const uint64_t planeBytes = transpose8(word);
                for (int p = 0; p < 8; ++p)
                    reinterpret_cast<uint8_t*>(bits.row((8 * half + p) * height + y))[x0 / 8] =
                        static_cast<uint8_t>(planeBytes >> (8 * p));
            }
        }
        for (int p = 0; p < planes; ++p) {
            uint64_t* dst = bits.row(p * height + y);
            for (int x = whole; x < width; ++x)
                dst[x / 64] |= uint64_t((src[x] >> p) & 1u) << (x % 64);
        }
    }
    return bits;
}

std::vector<uint32_t> fromBitMatrix(const BitMatrix& bits, int width, int height, int planes)
{
    std::vector<uint32_t> values(size_t(width) * height, 0);
    const int whole = width / 8 * 8;
    for (int y = 0; y < height; ++y) {
        uint32_t* dst = values.data() + size_t(y) * width;
        for (int half = 0; half < planes / 8; ++half) {
            for (int x0 = 0; x0 < whole; x0 += 8) {
                uint64_t planeBytes = 0;
                for (int p = 0; p < 8; ++p)
                    planeBytes |= uint64_t(reinterpret_cast<const uint8_t*>(
                                      bits.row((8 * half + p) * height + y))[x0 / 8])
                                  << (8 * p);
                const uint64_t pixelBytes = transpose8(planeBytes);
                for (int k = 0; k < 8; ++k)
                    dst[x0 + k] |= uint32_t((pixelBytes >> (8 * k)) & 0xFFu) << (8 * half);
            }
        }
        for (int p = 0; p < planes; ++p) {
            const uint64_t* src = bits.row(p * height + y);
            for (int x = whole; x < width; ++x)
                dst[x] |= uint32_t((src[x / 64] >> (x % 64)) & 1u) << p;
        }
    }
    return values;
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
    BitMatrix bits = toBitMatrix(pixelValues(plain), w, h, planes);
    permuteBits(bits, maps->permutation, false);
    std::vector<uint32_t> v = fromBitMatrix(bits, w, h, planes);
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
    BitMatrix bits = toBitMatrix(v, w, h, planes);
    permuteBits(bits, maps->permutation, true);
    if (maps->permutation.failed() || maps->forward.failed() || maps->backward.failed())
        return makeError(ErrorKind::Internal, "OpenSSL could not generate the cipher's perturbation stream");
    return imageFrom(fromBitMatrix(bits, w, h, planes), w, h, planes);
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

template <typename T> std::vector<T> laneStream(LscLaneMap& map, size_t count)
{
    std::vector<T> k(count);
    map.fill(reinterpret_cast<uint8_t*>(k.data()), count * sizeof(T));
    if constexpr (sizeof(T) == 2 && std::endian::native == std::endian::big)
        for (T& value : k)
            value = static_cast<T>((value >> 8) | (value << 8)); // the stream's byte order is little endian
    return k;
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

template <typename T> std::vector<T> narrowed(const std::vector<uint32_t>& values)
{
    return std::vector<T>(values.begin(), values.end());
}

template <typename T> Result<Image> encryptV2Typed(const Image& plain, CipherMapsV2& maps)
{
    const int planes = plain.bitDepth(), w = plain.width(), h = plain.height();
    const size_t n = size_t(w) * h;
    // Both keystreams are drawn on a second core while this one permutes the bits (about as long).
    std::vector<T> a, b;
    std::thread streams([&] {
        a = laneStream<T>(maps.forward, n);
        b = laneStream<T>(maps.backward, n);
    });
    BitMatrix bits = toBitMatrix(pixelValues(plain), w, h, planes);
    permuteBits(bits, maps.permutation, false);
    std::vector<T> v = narrowed<T>(fromBitMatrix(bits, w, h, planes));
    streams.join();
    feedbackPass<T>(v.data(), a.data(), b.data(), n, initialState(maps.iv, 0), false);
    feedbackPass<T>(v.data(), b.data(), a.data(), n, initialState(maps.iv, 1), true);
    if (maps.permutation.failed() || maps.forward.failed() || maps.backward.failed())
        return makeError(ErrorKind::Internal, "OpenSSL could not generate the cipher's perturbation stream");
    return imageFrom(std::vector<uint32_t>(v.begin(), v.end()), w, h, planes);
}

template <typename T> Result<Image> decryptV2Typed(const Image& cipher, CipherMapsV2& maps)
{
    const int planes = cipher.bitDepth(), w = cipher.width(), h = cipher.height();
    const size_t n = size_t(w) * h;
    std::vector<T> a;
    std::thread forward([&] { a = laneStream<T>(maps.forward, n); });
    std::vector<T> v = narrowed<T>(pixelValues(cipher));
    const std::vector<T> b = laneStream<T>(maps.backward, n);
    forward.join();
    undoFeedbackPass<T>(v.data(), b.data(), a.data(), n, initialState(maps.iv, 1), true);
    undoFeedbackPass<T>(v.data(), a.data(), b.data(), n, initialState(maps.iv, 0), false);
    BitMatrix bits = toBitMatrix(std::vector<uint32_t>(v.begin(), v.end()), w, h, planes);
    permuteBits(bits, maps.permutation, true);
    if (maps.permutation.failed() || maps.forward.failed() || maps.backward.failed())
        return makeError(ErrorKind::Internal, "OpenSSL could not generate the cipher's perturbation stream");
    return imageFrom(fromBitMatrix(bits, w, h, planes), w, h, planes);
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
