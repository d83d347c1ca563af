// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/Bytes.h"
#include "core/Image.h"
#include "core/Result.h"

#include <array>
#include <vector>

namespace medveil {

/// MedVeil's alternative to the paper's Arnold stage (`protect --scramble permute`): a keyed pseudo-random
/// permutation of the 64 pixels of each 8×8 texture block — Fisher–Yates driven by an AES-256-CTR keystream
/// of the scrambling key, a fresh permutation per block. An 8×8 block has 64! ≈ 2^296 orderings instead of
/// Arnold's ≈ 129 maps, so trying every candidate and keeping the smoothest (which undoes Arnold without the
/// key) is hopeless; only each block's mean and histogram survive (the paper's "contour information").
class BlockPermuter
{
public:
    static constexpr int kBlock = 8;

    /// One permutation per block for `blockCount` blocks from a 32-byte key.
    static Result<BlockPermuter> fromKey(const Bytes& key, size_t blockCount);

    /// Scrambles (or restores) the listed blocks (indices by · blocksX + bx) in place; `blocks.size()` must
    /// equal the number of permutations.
    [[nodiscard]] Status scramble(Image& image, const std::vector<int>& blocks) const;
    [[nodiscard]] Status unscramble(Image& image, const std::vector<int>& blocks) const;

    /// destination[k] = where pixel k (row-major in the block) goes.
    [[nodiscard]] const std::vector<std::array<uint8_t, 64>>& permutations() const { return m_permutations; }

private:
    explicit BlockPermuter(std::vector<std::array<uint8_t, 64>> permutations)
        : m_permutations(std::move(permutations))
    {}
    Status apply(Image& image, const std::vector<int>& blocks, bool inverse) const;
    std::vector<std::array<uint8_t, 64>> m_permutations;
};

} // namespace medveil
