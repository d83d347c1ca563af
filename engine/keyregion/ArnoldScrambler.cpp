// SPDX-License-Identifier: GPL-3.0-or-later
#include "keyregion/ArnoldScrambler.h"

#include "crypto/KeyStream.h"

#include <map>

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

Result<ArnoldScrambler> ArnoldScrambler::fromKey(const Bytes& key, size_t blockCount)
{
    auto stream = aesCtrKeystream(key, blockCount * 3);
    if (!stream)
        return stream.error();
    std::vector<ArnoldParameters> parameters(blockCount);
    for (size_t i = 0; i < blockCount; ++i) {
        ArnoldParameters& p = parameters[i];
        p.a = 1 + (*stream)[3 * i] % 7;
        p.b = 1 + (*stream)[3 * i + 1] % 7;
        p.iterations = 1 + (*stream)[3 * i + 2] % (period(p.a, p.b) - 1);
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
    // 49 (a, b) pairs × a handful of iteration counts: cache the permutations.
    std::map<int, std::array<uint8_t, 64>> cache;
    for (size_t i = 0; i < blocks.size(); ++i) {
        const ArnoldParameters& p = m_parameters[i];
        const int cacheKey = (p.a * 8 + p.b) * 64 + p.iterations;
        auto it = cache.find(cacheKey);
        if (it == cache.end())
            it = cache.emplace(cacheKey, permutation(p)).first;
        MEDVEIL_TRY(permuteBlock(image, blocks[i], it->second, inverse));
    }
    return {};
}

Status permuteBlock(Image& image, int block, const std::array<uint8_t, 64>& destination, bool inverse)
{
    constexpr int kBlock = ArnoldScrambler::kBlock;
    const int blocksX = image.width() / kBlock;
    const int bx = block % blocksX, by = block / blocksX;
    if (block < 0 || (by + 1) * kBlock > image.height())
        return makeError(ErrorKind::Internal, "scrambled block outside the image");
    std::array<int, 64> values{};
    for (int k = 0; k < 64; ++k)
        values[size_t(k)] = image.at(bx * kBlock + k % kBlock, by * kBlock + k / kBlock);
    for (int k = 0; k < 64; ++k) {
        const int from = inverse ? destination[size_t(k)] : k;
        const int to = inverse ? k : destination[size_t(k)];
        image.set(bx * kBlock + to % kBlock, by * kBlock + to / kBlock, values[size_t(from)]);
    }
    return {};
}

} // namespace medveil
