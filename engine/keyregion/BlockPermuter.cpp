// SPDX-License-Identifier: GPL-3.0-or-later
#include "keyregion/BlockPermuter.h"

#include "crypto/KeyStream.h"
#include "keyregion/ArnoldScrambler.h"

#include <numeric>

namespace medveil {

Result<BlockPermuter> BlockPermuter::fromKey(const Bytes& key, size_t blockCount)
{
    if (key.size() != 32)
        return makeError(ErrorKind::Internal, "the permutation key must be 32 bytes");
    // 63 draws per block, 4 bytes each; rejection sampling keeps every index exactly uniform (a draw is
    // redrawn from a spare word at most rarely, so 8 spare words per block are plenty; more are fetched
    // if a block ever needs them).
    constexpr size_t kWordsPerBlock = 63 + 8;
    auto stream = aesCtrKeystream(key, blockCount * kWordsPerBlock * 4);
    if (!stream)
        return stream.error();
    std::vector<std::array<uint8_t, 64>> permutations(blockCount);
    size_t offset = 0;
    auto word = [&]() -> Result<uint32_t> {
        if (offset + 4 > stream->size()) {
            auto more = aesCtrKeystream(key, stream->size() * 2);
            if (!more)
                return more.error();
            stream = std::move(more);
        }
        const uint32_t w = uint32_t((*stream)[offset]) | uint32_t((*stream)[offset + 1]) << 8 |
                           uint32_t((*stream)[offset + 2]) << 16 | uint32_t((*stream)[offset + 3]) << 24;
        offset += 4;
        return w;
    };
    for (auto& destination : permutations) {
        std::array<uint8_t, 64> order{};
        std::iota(order.begin(), order.end(), uint8_t(0));
        for (uint32_t i = 63; i > 0; --i) { // Fisher–Yates: j uniform in [0, i]
            const uint32_t range = i + 1, limit = UINT32_MAX - UINT32_MAX % range;
            uint32_t draw = 0;
            do {
                auto w = word();
                if (!w)
                    return w.error();
                draw = *w;
            } while (draw >= limit);
            std::swap(order[i], order[draw % range]);
        }
        // order[k] = which pixel lands at position k; destination is its inverse.
        for (int k = 0; k < 64; ++k)
            destination[order[size_t(k)]] = uint8_t(k);
    }
    return BlockPermuter(std::move(permutations));
}

Status BlockPermuter::scramble(Image& image, const std::vector<int>& blocks) const
{
    return apply(image, blocks, false);
}

Status BlockPermuter::unscramble(Image& image, const std::vector<int>& blocks) const
{
    return apply(image, blocks, true);
}

Status BlockPermuter::apply(Image& image, const std::vector<int>& blocks, bool inverse) const
{
    if (blocks.size() != m_permutations.size())
        return makeError(ErrorKind::Internal, "permutations and block list differ in length");
    for (size_t i = 0; i < blocks.size(); ++i)
        MEDVEIL_TRY(permuteBlock(image, blocks[i], m_permutations[i], inverse));
    return {};
}

} // namespace medveil
