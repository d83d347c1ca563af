// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/Image.h"
#include "core/Progress.h"
#include "core/Result.h"
#include "keyregion/KeyRegionProtector.h"

namespace medveil::teaching {

/// The keyless attack on the key-region scheme's scrambling, as a lesson: an 8×8 block has only ≈ 129
/// distinct generalised cat maps, so an attacker without any key tries each on every texture block of a
/// protected image and keeps the smoothest result — which undoes Arnold. The baseline is what the
/// scrambling cannot hide anyway: each block replaced by its mean (the paper's "contour information").
struct KeylessAttackResult
{
    Image protectedImage;                     ///< what the attacker has
    Image attacked;                           ///< the attack's reconstruction of the texture blocks
    Image blockMeans;                         ///< every texture block replaced by its mean
    double attackPsnr = 0, blockMeanPsnr = 0; ///< over the texture blocks, against the original
};

/// Runs the attack on `protectedImage` (protected from `original` with `report`'s region and threshold).
[[nodiscard]] Result<KeylessAttackResult> keylessAttack(const Image& original, const Image& protectedImage,
                                                        const ProtectReport& report,
                                                        const JobControl& control = {});

/// The lesson on `original`: protected once with Arnold and once with the keyed permutation (fresh keys),
/// attacked both ways. 8-bit images.
struct KeylessAttackLesson
{
    KeylessAttackResult arnold, permute;
};
[[nodiscard]] Result<KeylessAttackLesson> keylessAttackLesson(const Image& original,
                                                              const JobControl& control = {});

} // namespace medveil::teaching
