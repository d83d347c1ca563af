// SPDX-License-Identifier: GPL-3.0-or-later
// The LSC cipher's fast paths against straightforward reference implementations kept here: the version-2
// lane map (lanes one at a time, the sinπ of the description with its parity term, every perturbation in
// the order the description gives), and the whole cipher of both versions (a bit matrix of one byte per
// bit, rotations by index arithmetic, the feedback passes as written in LscChaoticCipher.h). Sealed files
// depend on every output bit, so the engine must match these exactly: fixed seeds, then a time-boxed random
// run over seeds, image sizes (odd ones included), both bit depths and both versions.
// Compiled with -ffp-contract=off like the cipher (tests/CMakeLists.txt): the reference's doubles are the
// description's IEEE-754 operations, one at a time.
#include "TestImages.h"
#include "crypto/Digest.h"
#include "crypto/KeyStream.h"
#include "emr/LscChaoticCipher.h"

#include <QtTest>

#include <bit>
#include <cmath>
#include <cstring>
#include <random>
#include <vector>

using namespace medveil;
using namespace medveil::test;

namespace {

// ---- reference: the version-2 lane map ----

double unitFromBytes(const uint8_t* p)
{
    uint64_t v = 0;
    for (int i = 0; i < 7; ++i)
        v = (v << 8) | p[i];
    return double(v) / double(uint64_t(1) << 56);
}

double referenceSinPi(double t)
{
    constexpr double kS[] = {0x1.921fb54442d18p+1,   -0x1.4abbce625be53p+2,  0x1.466bc6775aae2p+1,
                             -0x1.32d2cce62bd86p-1,  0x1.50783487ee782p-4,   -0x1.e3074fde8871fp-8,
                             0x1.e8f434d018d63p-12,  -0x1.6fadb9f155744p-16, 0x1.aaec32af93359p-21,
                             -0x1.8a404211f9547p-26, 0x1.2877020d52cf0p-31};
    constexpr double magic = 0x1.8p52;
    const double q = (t + magic) - magic;
    const double y = t - q;
    const double z = y * y;
    double h = kS[10];
    for (int k = 9; k >= 0; --k)
        h = kS[k] + z * h;
    const double p = y * h;
    const double parity = q - 2.0 * ((0.5 * q + magic) - magic);
    return p * (1.0 - 2.0 * (parity * parity));
}

bool degenerate(double x)
{
    return !std::isfinite(x) || x == 0.0 || std::fabs(x) == 1.0;
}

class ReferenceLaneMap
{
public:
    static constexpr int kLanes = 16;

    ReferenceLaneMap(const Bytes& seed, const Bytes& perturbKey) : m_perturbKey(perturbKey)
    {
        for (int lane = 0; lane < kLanes; ++lane) {
            m_x[lane] = 0.05 + 0.9 * unitFromBytes(seed.data() + 16 * lane);
            m_r[lane] = 0.6 + 0.4 * unitFromBytes(seed.data() + 16 * lane + 8);
        }
        m_stream = *aesCtr(m_perturbKey);
        for (int i = 0; i < 256; ++i)
            step();
        m_bytes.clear();
    }
    ReferenceLaneMap(const std::vector<double>& x, const std::vector<double>& r, const Bytes& perturbKey,
                     uint64_t stepsTaken)
        : m_step(stepsTaken), m_perturbKey(perturbKey)
    {
        for (int lane = 0; lane < kLanes; ++lane) {
            m_x[lane] = x[size_t(lane)];
            m_r[lane] = r[size_t(lane)];
        }
        m_stream = *aesCtr(m_perturbKey);
    }

    Bytes take(size_t count)
    {
        while (m_bytes.size() < count)
            step();
        Bytes out(m_bytes.begin(), m_bytes.begin() + long(count));
        m_bytes.erase(m_bytes.begin(), m_bytes.begin() + long(count));
        return out;
    }

private:
    /// 32 KiB of AES-256-CTR over zeros (OpenSSL's in both: the map is what is checked, not the block
    /// cipher).
    static Result<Bytes> aesCtr(const Bytes& key) { return aesCtrKeystream(key, 8 * 4096); }

    void step()
    {
        double next[kLanes];
        for (int lane = 0; lane < kLanes; ++lane) {
            const double x = m_x[lane];
            const double a = 4.0 * m_r[lane], b = 1.0 - m_r[lane];
            const double product = a * x * (1.0 - x);
            const double sine = referenceSinPi(x);
            next[lane] = referenceSinPi(product + b * sine);
        }
        std::memcpy(m_x, next, sizeof m_x);
        ++m_step;
        for (int lane = 0; lane < kLanes; ++lane) {
            if (m_step % 1024 == 0 || degenerate(m_x[lane])) {
                if (m_position + 8 > m_stream.size()) {
                    m_perturbKey = sha256(m_perturbKey);
                    m_stream = *aesCtr(m_perturbKey);
                    m_position = 0;
                }
                const double u = unitFromBytes(m_stream.data() + m_position);
                m_position += 8;
                m_x[lane] = referenceSinPi(m_x[lane] + u);
                if (degenerate(m_x[lane]))
                    m_x[lane] = 0.05 + 0.9 * u;
            }
        }
        for (int lane = 0; lane < kLanes; ++lane) {
            uint64_t bits = 0;
            std::memcpy(&bits, &m_x[lane], 8);
            const uint64_t mantissa = bits & ((uint64_t(1) << 52) - 1);
            const uint64_t folded = (mantissa >> 1) ^ (mantissa >> 21);
            for (int b = 0; b < 4; ++b)
                m_bytes.push_back(uint8_t(folded >> (8 * b)));
        }
    }

    double m_x[kLanes] = {}, m_r[kLanes] = {};
    uint64_t m_step = 0;
    Bytes m_perturbKey, m_stream, m_bytes;
    size_t m_position = 0;
};

// ---- reference: the whole cipher ----

/// Bit (row, column) of the (P·H) × W matrix, one byte each.
struct ReferenceBits
{
    int rows, cols;
    std::vector<uint8_t> bit;
    uint8_t& at(int r, int c) { return bit[size_t(r) * size_t(cols) + size_t(c)]; }
};

uint32_t littleEndian32(const Bytes& b, size_t i)
{
    return uint32_t(b[4 * i]) | uint32_t(b[4 * i + 1]) << 8 | uint32_t(b[4 * i + 2]) << 16 |
           uint32_t(b[4 * i + 3]) << 24;
}

/// Two rounds of row rotations (left by shift) then column rotations (up by shift), shifts drawn from
/// `draw(bytes)` before any is applied; `inverse` undoes them in reverse order.
template <typename Draw> void referencePermute(ReferenceBits& m, Draw&& draw, bool inverse)
{
    std::vector<uint32_t> rowShift[2], colShift[2];
    for (int round = 0; round < 2; ++round) {
        const Bytes raw = draw(size_t(m.rows + m.cols) * 4);
        for (int r = 0; r < m.rows; ++r)
            rowShift[round].push_back(littleEndian32(raw, size_t(r)) % uint32_t(m.cols));
        for (int c = 0; c < m.cols; ++c)
            colShift[round].push_back(littleEndian32(raw, size_t(m.rows + c)) % uint32_t(m.rows));
    }
    auto rotateRows = [&](const std::vector<uint32_t>& s, bool back) {
        ReferenceBits out = m;
        for (int r = 0; r < m.rows; ++r)
            for (int c = 0; c < m.cols; ++c) {
                const int from = int((uint32_t(c) + s[size_t(r)]) % uint32_t(m.cols));
                if (back)
                    out.at(r, from) = m.at(r, c);
                else
                    out.at(r, c) = m.at(r, from);
            }
        m = out;
    };
    auto rotateColumns = [&](const std::vector<uint32_t>& s, bool back) {
        ReferenceBits out = m;
        for (int c = 0; c < m.cols; ++c)
            for (int r = 0; r < m.rows; ++r) {
                const int from = int((uint32_t(r) + s[size_t(c)]) % uint32_t(m.rows));
                if (back)
                    out.at(from, c) = m.at(r, c);
                else
                    out.at(r, c) = m.at(from, c);
            }
        m = out;
    };
    for (int step = 0; step < 2; ++step) {
        if (!inverse) {
            rotateRows(rowShift[step], false);
            rotateColumns(colShift[step], false);
        } else {
            const int round = 1 - step;
            rotateColumns(colShift[round], true);
            rotateRows(rowShift[round], true);
        }
    }
}

ReferenceBits bitsOf(const std::vector<uint32_t>& values, int w, int h, int planes)
{
    ReferenceBits m{planes * h, w, std::vector<uint8_t>(size_t(planes) * h * w)};
    for (int p = 0; p < planes; ++p)
        for (int y = 0; y < h; ++y)
            for (int x = 0; x < w; ++x)
                m.at(p * h + y, x) = uint8_t((values[size_t(y) * w + x] >> p) & 1u);
    return m;
}

std::vector<uint32_t> valuesOf(ReferenceBits& m, int w, int h, int planes)
{
    std::vector<uint32_t> v(size_t(w) * h, 0);
    for (int p = 0; p < planes; ++p)
        for (int y = 0; y < h; ++y)
            for (int x = 0; x < w; ++x)
                v[size_t(y) * w + x] |= uint32_t(m.at(p * h + y, x)) << p;
    return v;
}

Bytes slice(const Bytes& m, size_t offset, size_t n)
{
    return Bytes(m.begin() + long(offset), m.begin() + long(offset + n));
}

uint32_t rotl(uint32_t x, unsigned s, int planes)
{
    const uint32_t mask = planes == 16 ? 0xFFFFu : 0xFFu;
    s %= unsigned(planes);
    return s == 0 ? x : ((x << s) | (x >> (unsigned(planes) - s))) & mask;
}

Image referenceEncrypt(const Image& plain, const Bytes& key, const Bytes& hash, LscCipherVersion version)
{
    const int w = plain.width(), h = plain.height(), planes = plain.bitDepth();
    const size_t n = size_t(w) * h, bytesPer = planes == 16 ? 2 : 1;
    const uint32_t mask = uint32_t(plain.maxValue());
    std::vector<uint32_t> values(n);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
            values[size_t(y) * w + x] = uint32_t(plain.at(x, y));
    ReferenceBits bits = bitsOf(values, w, h, planes);
    auto stream = [&](const Bytes& raw) {
        std::vector<uint32_t> k(n);
        for (size_t i = 0; i < n; ++i)
            k[i] = bytesPer == 2 ? (uint32_t(raw[2 * i]) | uint32_t(raw[2 * i + 1]) << 8) : raw[i];
        return k;
    };
    if (version == LscCipherVersion::V1) {
        const Bytes m = *hkdfSha256(key, hash, "MedVeil LSC cipher v2", 6 * 32 + 4);
        LscMap permutation(slice(m, 0, 32), slice(m, 32, 32)), forward(slice(m, 64, 32), slice(m, 96, 32)),
            backward(slice(m, 128, 32), slice(m, 160, 32));
        auto fromMap = [](LscMap& map, size_t count) {
            Bytes raw(count);
            map.fill(raw.data(), count);
            return raw;
        };
        referencePermute(
            bits, [&](size_t count) { return fromMap(permutation, count); }, false);
        std::vector<uint32_t> v = valuesOf(bits, w, h, planes);
        const auto k1 = stream(fromMap(forward, n * bytesPer)), k2 = stream(fromMap(backward, n * bytesPer));
        uint32_t previous = (uint32_t(m[192]) | uint32_t(m[193]) << 8) & mask;
        for (size_t i = 0; i < n; ++i)
            previous = v[i] = ((v[i] ^ k1[i]) + previous) & mask;
        uint32_t next = (uint32_t(m[194]) | uint32_t(m[195]) << 8) & mask;
        for (size_t i = n; i-- > 0;)
            next = v[i] = ((v[i] ^ k2[i]) + next) & mask;
        values = v;
    } else {
        const Bytes m = *hkdfSha256(key, hash, "MedVeil LSC cipher version 2", 3 * 288 + 16);
        ReferenceLaneMap permutation(slice(m, 0, 256), slice(m, 256, 32)),
            forward(slice(m, 288, 256), slice(m, 544, 32)), backward(slice(m, 576, 256), slice(m, 832, 32));
        referencePermute(
            bits, [&](size_t count) { return permutation.take(count); }, false);
        std::vector<uint32_t> v = valuesOf(bits, w, h, planes);
        const auto a = stream(forward.take(n * bytesPer)), b = stream(backward.take(n * bytesPer));
        auto pass = [&](const std::vector<uint32_t>& key_, const std::vector<uint32_t>& turn, int ivOffset,
                        bool backwards) {
            uint64_t state = 0;
            for (int i = 7; i >= 0; --i)
                state = state << 8 | m[size_t(864 + ivOffset + i)];
            for (size_t j = 0; j < n; ++j) {
                const size_t i = backwards ? n - 1 - j : j;
                const uint32_t in = v[i];
                v[i] = rotl((((uint32_t(state) & mask) ^ key_[i]) + in) & mask, turn[i], planes);
                const uint64_t term = (uint64_t(key_[i]) << 16 | in) * 0x9E3779B97F4A7C15ULL;
                state = std::rotl((state ^ term) * 0xD6E8FEB86659FD93ULL, 32);
            }
        };
        pass(a, b, 0, false);
        pass(b, a, 8, true);
        values = v;
    }
    Image out = *Image::create(w, h, planes);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
            out.set(x, y, int(values[size_t(y) * w + x]));
    return out;
}

Bytes seedBytes(std::mt19937& rng, size_t n)
{
    Bytes b(n);
    for (uint8_t& v : b)
        v = uint8_t(rng());
    return b;
}

QString firstDifference(const Bytes& got, const Bytes& expected)
{
    for (size_t i = 0; i < std::min(got.size(), expected.size()); ++i)
        if (got[i] != expected[i])
            return QStringLiteral("byte %1 of %2: %3, expected %4")
                .arg(i)
                .arg(expected.size())
                .arg(got[i])
                .arg(expected[i]);
    return QStringLiteral("sizes %1 and %2").arg(got.size()).arg(expected.size());
}

} // namespace

class TestLscCipher : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // The lane map's bytes against the reference, drawn in random pieces (so every split of a step between
    // calls is used) across several perturbation periods; two maps filled side by side give what each gives
    // alone.
    void laneMapMatchesReference()
    {
        forFixedThenRandomSeeds({1, 2, 3, 4}, std::chrono::milliseconds(1500), [](unsigned seed) {
            std::mt19937 rng(seed);
            const Bytes seedA = seedBytes(rng, 256), keyA = seedBytes(rng, 32);
            const Bytes seedB = seedBytes(rng, 256), keyB = seedBytes(rng, 32);
            const size_t total = 64 * 1024 * 3 + rng() % 5000; // three perturbation periods and a bit
            ReferenceLaneMap referenceA(seedA, keyA), referenceB(seedB, keyB);
            const Bytes expectedA = referenceA.take(total), expectedB = referenceB.take(total);
            LscLaneMap alone(seedA, keyA);
            Bytes got(total);
            for (size_t done = 0; done < total;) {
                const size_t piece = std::min(total - done, size_t(rng() % 3 ? rng() % 200 : rng() % 20000));
                alone.fill(got.data() + done, piece);
                done += piece;
            }
            QVERIFY2(got == expectedA, qPrintable(QStringLiteral("seed %1 alone: ").arg(seed) +
                                                  firstDifference(got, expectedA)));
            LscLaneMap first(seedA, keyA), second(seedB, keyB);
            Bytes gotA(total), gotB(total);
            // An unaligned start on one map only, then both side by side.
            const size_t lead = rng() % 64;
            first.fill(gotA.data(), lead);
            first.fill(gotA.data() + lead, 0);
            LscLaneMap::fillPair(first, gotA.data() + lead, second, gotB.data(), total - lead);
            second.fill(gotB.data() + total - lead, lead);
            QVERIFY2(gotA == expectedA, qPrintable(QStringLiteral("seed %1 pair, first: ").arg(seed) +
                                                   firstDifference(gotA, expectedA)));
            QVERIFY2(gotB == expectedB, qPrintable(QStringLiteral("seed %1 pair, second: ").arg(seed) +
                                                   firstDifference(gotB, expectedB)));
        });
    }

    // Lanes started on the map's fixed points (0 and 1: the next iterate is 0) and on NaN take the
    // re-seeding path at once, on ordinary and on period steps, one map alone and beside another.
    void laneMapReseedsDegenerateLanesAsTheReference()
    {
        for (uint64_t stepsTaken : {uint64_t(0), uint64_t(1023), uint64_t(5000)}) {
            std::mt19937 rng(unsigned(stepsTaken) + 7);
            std::vector<double> x(16), r(16);
            for (int lane = 0; lane < 16; ++lane) {
                x[size_t(lane)] = 0.05 + 0.9 * double(rng()) / 4294967296.0;
                r[size_t(lane)] = 0.6 + 0.4 * double(rng()) / 4294967296.0;
            }
            x[0] = 0.0;
            x[5] = 1.0;
            x[15] = std::nan("");
            const Bytes key = seedBytes(rng, 32), otherSeed = seedBytes(rng, 256),
                        otherKey = seedBytes(rng, 32);
            const size_t total = 64 * 2100;
            ReferenceLaneMap reference(x, r, key, stepsTaken);
            const Bytes expected = reference.take(total);
            auto map = LscLaneMap::fromLaneStates(x, r, key, stepsTaken);
            Bytes got(total);
            map.fill(got.data(), total);
            QVERIFY2(got == expected, qPrintable(firstDifference(got, expected)));
            auto paired = LscLaneMap::fromLaneStates(x, r, key, stepsTaken);
            LscLaneMap other(otherSeed, otherKey);
            Bytes gotPaired(total), gotOther(total);
            LscLaneMap::fillPair(other, gotOther.data(), paired, gotPaired.data(), total);
            QVERIFY2(gotPaired == expected, qPrintable(firstDifference(gotPaired, expected)));
            QCOMPARE(gotOther, ReferenceLaneMap(otherSeed, otherKey).take(total));
        }
    }

    // Whole ciphertexts against the reference cipher, both versions and depths, odd and whole-word sizes;
    // decryption gives the plain image back.
    void cipherMatchesReference()
    {
        const std::pair<int, int> fixedSizes[] = {{1, 1},   {7, 5},   {64, 64},  {63, 65}, {65, 63},
                                                  {130, 3}, {3, 130}, {128, 72}, {200, 9}};
        auto check = [](int w, int h, int depth, LscCipherVersion version, unsigned seed) {
            const Image plain = noiseImage(w, h, depth, seed);
            const Bytes key = sha256(toBytes("reference " + std::to_string(seed)));
            const Bytes hash = sha256(plain.pixelBytes());
            const Image expected = referenceEncrypt(plain, key, hash, version);
            auto cipher = LscChaoticCipher::encrypt(plain, key, hash, version);
            const QString what = QStringLiteral("%1x%2 %3-bit v%4 seed %5")
                                     .arg(w)
                                     .arg(h)
                                     .arg(depth)
                                     .arg(int(version))
                                     .arg(seed);
            QVERIFY2(cipher.ok() && cipher->identicalTo(expected), qPrintable(what + " encrypt"));
            auto back = LscChaoticCipher::decrypt(*cipher, key, hash, version);
            QVERIFY2(back.ok() && back->identicalTo(plain), qPrintable(what + " decrypt"));
        };
        unsigned seed = 100;
        for (const auto& [w, h] : fixedSizes)
            for (int depth : {8, 16})
                for (LscCipherVersion version : {LscCipherVersion::V1, LscCipherVersion::V2}) {
                    check(w, h, depth, version, ++seed);
                    if (QTest::currentTestFailed())
                        return;
                }
        forFixedThenRandomSeeds({5, 6}, std::chrono::milliseconds(1500), [&](unsigned s) {
            std::mt19937 rng(s);
            const int w = 1 + int(rng() % 150), h = 1 + int(rng() % 150);
            check(w, h, rng() % 2 ? 16 : 8, rng() % 2 ? LscCipherVersion::V2 : LscCipherVersion::V1, s);
        });
    }
};

QTEST_APPLESS_MAIN(TestLscCipher)
#include "test_lsc_cipher.moc"
