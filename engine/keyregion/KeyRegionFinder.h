// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/Image.h"
#include "core/Result.h"
#include "keyregion/Rect.h"

#include <vector>

namespace medveil {

/// A candidate key region and its coefficient of variation σ/μ.
struct RegionCandidate
{
    Rect rect;
    double coefficientOfVariation = 0;
    double bodyFraction = 0; ///< share of the block inside the body (BodyMask)
};

/// Finds the key (lesion) region as the block of largest coefficient of variation σ/μ (Li et al. 2020,
/// Step 1): 160×160 blocks for a 512×512 image, scaled with the image's shorter side and rounded to a
/// multiple of 8, never smaller than `minimumSide`. Blocks are tried on a quarter-block grid; candidates are
/// returned best first without overlapping a better one by more than half. Blocks with μ = 0 never win.
/// MedVeil's addition: the rule applies among the blocks on the anatomy. A BodyMask gives each block's
/// body fraction; blocks within 90 % of the best fraction any block of that size reaches are ranked by σ/μ
/// and come first, the others follow by body fraction, and blocks under a quarter of the best (corners of
/// air) are not offered at all — on MRI/CT slices σ/μ is otherwise largest at the edge of the body or in
/// background noise, where there is nothing diagnostic to protect.
class KeyRegionFinder
{
public:
    explicit KeyRegionFinder(int minimumSide = 0) : m_minimumSide(minimumSide) {}

    /// The block side used for an image of this size.
    [[nodiscard]] int blockSide(int imageWidth, int imageHeight) const;

    /// Ranked candidates (best first). BadInput when the image cannot hold one block.
    [[nodiscard]] Result<std::vector<RegionCandidate>> candidates(const Image& image) const;

    /// Checks a user rectangle (semi-automatic calibration): inside the image and at least
    /// `minimumSide` on both sides, else BadInput naming the problem.
    [[nodiscard]] Status validate(const Rect& rect, const Image& image) const;

private:
    int m_minimumSide = 0;
};

} // namespace medveil
