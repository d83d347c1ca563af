// SPDX-License-Identifier: GPL-3.0-or-later
#include "keyregion/ArnoldScrambler.h"

#include "crypto/KeyStream.h"

#include <algorithm>

namespace medveil {

int ArnoldScrambler::period(int a, int b)
{
    // M = [[1, a], [b, ab + 1]] mod 8; iterate until the identity.
    int m00 = 1, m01 = a % 8, m10 = b % 8, m11 = (a * b + 1) % 8;
    int p00 = m00, p01 = m01, p10 = m10, p11 = m11;
    for (int n = 1; n <= 64; ++n) {
        if (p00 == 1 && p01 == 0 && p10 == 0 && p11 == 1)
            return n;
        const int q00 = (p00 * m00 + p01 * m10) % 8, q01 = (p00 * m01 + p01 * m11) % 8;
        const int q10 = (p10 * m00 + p11 * m10) % 8, q11 = (p10 * m01 + p11 * m11) % 8;
        p00 = q00, p01 = q01, p10 = q10, p11 = q11;
    }
    return 64;
}

std::array<uint8_t, 64> ArnoldScrambler::permutation(const ArnoldParameters& p)
{
    std::array<uint8_t, 64> destination{};
    for (int y = 0; y < kBlock; ++y) {
        for (int x = 0; x < kBlock; ++x) {
            int cx = x, cy = y;
            for (int n = 0; n < p.iterations; ++n) {
                const int nx = (cx + p.a * cy) % kBlock;
                const int ny = (p.b * cx + (p.a * p.b + 1) * cy) % kBlock;
                cx = nx, cy = ny;
            }
            destination[size_t(y * kBlock + x)] = static_cast<uint8_t>(cy * kBlock + cx);
        }
    }
    return destination;
}

namespace {

/// Every map fromKey() draws — a, b in 1…7, 1 ≤ iterations < period(a, b) ≤ 64 — with its period and its
/// permutation, built once per process on first use (a few hundred microseconds) instead of once per call.
struct ArnoldTables
{
    static constexpr int kDraws = 8;
    std::array<int, kDraws * kDraws> periods{};
    std::vector<std::array<uint8_t, 64>> permutations; ///< index (a · 8 + b) · 64 + iterations

    ArnoldTables() : permutations(size_t(kDraws * kDraws * 64))
    {
        for (int a = 1; a < kDraws; ++a)
            for (int b = 1; b < kDraws; ++b) {
                const int period = ArnoldScrambler::period(a, b);
                periods[size_t(a * kDraws + b)] = period;
                for (int n = 1; n < period; ++n)
                    permutations[size_t((a * kDraws + b) * 64 + n)] = ArnoldScrambler::permutation({a, b, n});
            }
    }
    [[nodiscard]] static bool holds(const ArnoldParameters& p)
    {
        return p.a >= 1 && p.a < kDraws && p.b >= 1 && p.b < kDraws && p.iterations >= 1 && p.iterations < 64;
    }
};

const ArnoldTables& arnoldTables()
{
    static const ArnoldTables tables;
    return tables;
}

} // namespace

Result<ArnoldScrambler> ArnoldScrambler::fromKey(const Bytes& key, size_t blockCount)
{
    auto stream = aesCtrKeystream(key, blockCount * 3);
    if (!stream)
        return stream.error();
    const ArnoldTables& tables = arnoldTables();
    std::vector<ArnoldParameters> parameters(blockCount);
    for (size_t i = 0; i < blockCount; ++i) {
        ArnoldParameters& p = parameters[i];
        p.a = 1 + (*stream)[3 * i] % 7;
        p.b = 1 + (*stream)[3 * i + 1] % 7;
        p.iterations =
            1 + (*stream)[3 * i + 2] % (tables.periods[size_t(p.a * ArnoldTables::kDraws + p.b)] - 1);
    }
    return ArnoldScrambler(std::move(parameters));
}

ArnoldScrambler::ArnoldScrambler(std::vector<ArnoldParameters> parameters)
    : m_parameters(std::move(parameters))
{}

Status ArnoldScrambler::scramble(Image& image, const std::vector<int>& blocks) const
{
    return apply(image, blocks, false);
}

Status ArnoldScrambler::unscramble(Image& image, const std::vector<int>& blocks) const
{
    return apply(image, blocks, true);
}

Status ArnoldScrambler::apply(Image& image, const std::vector<int>& blocks, bool inverse) const
{
    if (blocks.size() != m_parameters.size())
        return makeError(ErrorKind::Internal, "Arnold parameters and block list differ in length");
    const ArnoldTables& tables = arnoldTables();
    for (size_t i = 0; i < blocks.size(); ++i) {
        const ArnoldParameters& p = m_parameters[i];
        if (ArnoldTables::holds(p) &&
            p.iterations < tables.periods[size_t(p.a * ArnoldTables::kDraws + p.b)]) {
            MEDVEIL_TRY(permuteBlock(
                image, blocks[i],
                tables.permutations[size_t((p.a * ArnoldTables::kDraws + p.b) * 64 + p.iterations)],
                inverse));
        } else {
            MEDVEIL_TRY(permuteBlock(image, blocks[i], permutation(p), inverse));
        }
    }
    return {};
}

namespace {

template <typename Pixel>
void permuteBlockPixels(cv::Mat& mat, int bx, int by, const std::array<uint8_t, 64>& destination,
                        bool inverse)
{
    constexpr int kBlock = ArnoldScrambler::kBlock;
    std::array<Pixel*, kBlock> rows{};
    std::array<Pixel, 64> values{};
    for (int y = 0; y < kBlock; ++y) {
        rows[size_t(y)] = mat.ptr<Pixel>(by * kBlock + y) + bx * kBlock;
        std::copy_n(rows[size_t(y)], kBlock, values.begin() + y * kBlock);
    }
    for (int k = 0; k < 64; ++k) {
        const int from = inverse ? destination[size_t(k)] : k;
        const int to = inverse ? k : destination[size_t(k)];
        rows[size_t(to / kBlock)][to % kBlock] = values[size_t(from)];
    }
}

} // namespace

Status permuteBlock(Image& image, int block, const std::array<uint8_t, 64>& destination, bool inverse)
{
    constexpr int kBlock = ArnoldScrambler::kBlock;
    const int blocksX = image.width() / kBlock;
    const int bx = block % blocksX, by = block / blocksX;
    if (block < 0 || (by + 1) * kBlock > image.height())
        return makeError(ErrorKind::Internal, "scrambled block outside the image");
    if (image.bitDepth() == 16)
        permuteBlockPixels<uint16_t>(image.mat(), bx, by, destination, inverse);
    else
        permuteBlockPixels<uint8_t>(image.mat(), bx, by, destination, inverse);
    return {};
}

} // namespace medveil
