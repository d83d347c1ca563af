// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/Bytes.h"
#include "core/Image.h"
#include "core/Result.h"

#include <array>
#include <vector>

namespace medveil {

/// Parameters of the generalised cat map on one 8×8 block:
/// (x, y) → (x + a·y, b·x + (a·b + 1)·y) mod 8, applied `iterations` times (1 ≤ iterations < period).
struct ArnoldParameters
{
    int a = 1;
    int b = 1;
    int iterations = 1;
};

/// Moves the 64 pixels of whole 8×8 block `block` (index by · (width / 8) + bx): pixel k (row-major) to
/// `destination[k]`, or back when `inverse`. The one pixel mover of both block scramblings (ArnoldScrambler,
/// BlockPermuter); Internal error for a block outside the image.
Status permuteBlock(Image& image, int block, const std::array<uint8_t, 64>& destination, bool inverse);

/// Arnold cat-map scrambling of 8×8 blocks (Li et al. 2020, Step 4). Each block gets its own (a, b, n)
/// drawn from a keystream derived from the secret key, so the map is exactly invertible by the key
/// holder. The key space is small (about 7 bits per block): this is the paper's scrambling stage, not
/// the protection — the payload itself is AES-256-GCM encrypted.
class ArnoldScrambler
{
public:
    static constexpr int kBlock = 8;

    /// Per-block parameters for `blockCount` blocks from a 32-byte key.
    static Result<ArnoldScrambler> fromKey(const Bytes& key, size_t blockCount);
    explicit ArnoldScrambler(std::vector<ArnoldParameters> parameters);

    /// Scrambles (or restores) the listed blocks (indices by · blocksX + bx of whole 8×8 blocks) in place.
    /// `blocks.size()` must equal the number of parameters.
    [[nodiscard]] Status scramble(Image& image, const std::vector<int>& blocks) const;
    [[nodiscard]] Status unscramble(Image& image, const std::vector<int>& blocks) const;

    /// Period of the map for (a, b) on an 8×8 block (the smallest n with Mⁿ = I mod 8).
    static int period(int a, int b);
    /// Destination position of each of the 64 pixels after `iterations` applications.
    static std::array<uint8_t, 64> permutation(const ArnoldParameters& parameters);

    [[nodiscard]] const std::vector<ArnoldParameters>& parameters() const { return m_parameters; }

private:
    Status apply(Image& image, const std::vector<int>& blocks, bool inverse) const;
    std::vector<ArnoldParameters> m_parameters;
};

} // namespace medveil
