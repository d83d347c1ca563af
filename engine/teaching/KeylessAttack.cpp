// SPDX-License-Identifier: GPL-3.0-or-later
#include "teaching/KeylessAttack.h"

#include "crypto/RsaKey.h"
#include "keyregion/ArnoldScrambler.h"
#include "keyregion/TextureMap.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace medveil::teaching {

namespace {

/// Every distinct generalised cat map of an 8×8 block (a, b < 8, 1 ≤ n < period).
const std::vector<std::array<uint8_t, 64>>& allCatMaps()
{
    static const std::vector<std::array<uint8_t, 64>> maps = [] {
        std::vector<std::array<uint8_t, 64>> out;
        for (int a = 0; a < 8; ++a)
            for (int b = 0; b < 8; ++b) {
                const int period = ArnoldScrambler::period(a, b);
                for (int n = 1; n < period && n < 64; ++n) {
                    const auto map = ArnoldScrambler::permutation({a, b, n});
                    if (std::find(out.begin(), out.end(), map) == out.end())
                        out.push_back(map);
                }
            }
        return out;
    }();
    return maps;
}

/// Sum of squared differences between 4-neighbours inside the block (the attacker's smoothness score).
double roughness(const std::array<int, 64>& block)
{
    double cost = 0;
    for (int y = 0; y < 8; ++y)
        for (int x = 0; x < 8; ++x) {
            const int v = block[size_t(y * 8 + x)];
            if (x < 7)
                cost += double(v - block[size_t(y * 8 + x + 1)]) * (v - block[size_t(y * 8 + x + 1)]);
            if (y < 7)
                cost += double(v - block[size_t(y * 8 + x + 8)]) * (v - block[size_t(y * 8 + x + 8)]);
        }
    return cost;
}

} // namespace

Result<KeylessAttackResult> keylessAttack(const Image& original, const Image& protectedImage,
                                          const ProtectReport& report, const JobControl& control)
{
    if (original.bitDepth() != 8 || protectedImage.bitDepth() != 8)
        return makeError(ErrorKind::BadInput, "the keyless-attack lesson works on 8-bit images");
    const TextureMap texture = TextureMap::compute(original, report.region, report.threshold);
    const std::vector<int> blocks = texture.textureBlocks();
    if (blocks.empty())
        return makeError(ErrorKind::BadInput, "this protection has no texture blocks to attack");
    KeylessAttackResult out;
    out.protectedImage = protectedImage;
    out.attacked = protectedImage.clone();
    out.blockMeans = protectedImage.clone();
    const auto& maps = allCatMaps();
    const int blocksX = original.width() / 8;
    double attackError = 0, meanError = 0;
    for (size_t i = 0; i < blocks.size(); ++i) {
        if (control.cancelled())
            return makeError(ErrorKind::Cancelled, "cancelled");
        if (i % 256 == 0)
            control.report(double(i) / double(blocks.size()), "trying every cat map on each block");
        const int bx = (blocks[i] % blocksX) * 8, by = (blocks[i] / blocksX) * 8;
        std::array<int, 64> scrambled{};
        double sum = 0;
        for (int k = 0; k < 64; ++k)
            sum += scrambled[size_t(k)] = protectedImage.at(bx + k % 8, by + k / 8);
        double bestCost = 1e300;
        std::array<int, 64> best = scrambled;
        for (const auto& map : maps) {
            std::array<int, 64> candidate{};
            for (int k = 0; k < 64; ++k)
                candidate[size_t(k)] = scrambled[map[size_t(k)]];
            if (const double cost = roughness(candidate); cost < bestCost) {
                bestCost = cost;
                best = candidate;
            }
        }
        const int mean = int(std::lround(sum / 64));
        for (int k = 0; k < 64; ++k) {
            const int x = bx + k % 8, y = by + k / 8, truth = original.at(x, y);
            out.attacked.set(x, y, best[size_t(k)]);
            out.blockMeans.set(x, y, mean);
            attackError += double(best[size_t(k)] - truth) * (best[size_t(k)] - truth);
            meanError += double(mean - truth) * (mean - truth);
        }
    }
    const double n = double(blocks.size()) * 64;
    const auto psnrOf = [n](double se) { return se > 0 ? 10 * std::log10(255.0 * 255.0 / (se / n)) : 99.0; };
    out.attackPsnr = psnrOf(attackError);
    out.blockMeanPsnr = psnrOf(meanError);
    control.report(1.0, "attacked");
    return out;
}

Result<KeylessAttackLesson> keylessAttackLesson(const Image& original, const JobControl& control)
{
    auto key = RsaKey::generate(2048);
    if (!key)
        return key.error();
    KeylessAttackLesson lesson;
    for (Scrambling scrambling : {Scrambling::Arnold, Scrambling::Permute}) {
        ProtectOptions options;
        options.scrambling = scrambling;
        auto protectedImage = KeyRegionProtector::protect(original, *key, options);
        if (!protectedImage)
            return protectedImage.error();
        auto attacked = keylessAttack(original, protectedImage->image, protectedImage->report, control);
        if (!attacked)
            return attacked.error();
        (scrambling == Scrambling::Arnold ? lesson.arnold : lesson.permute) = std::move(*attacked);
    }
    return lesson;
}

} // namespace medveil::teaching
