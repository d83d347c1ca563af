// SPDX-License-Identifier: GPL-3.0-or-later
// The keyless attack on the key-region scheme's scrambling (teaching/KeylessAttack): what an attacker
// without any key gains over the block-mean image, with Arnold (the paper's stage) and with the keyed
// permutation. Each run protects under a fresh RSA key and fresh AES keys, so the gain varies from run to
// run: the report gives the median and range over several runs.
#include "Evaluation.h"

#include "io/ImageIo.h"
#include "teaching/KeylessAttack.h"

#include <algorithm>
#include <stdexcept>

namespace medveil::evaluation {

namespace {

nlohmann::json spread(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    const size_t n = values.size();
    const double median = n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    return {{"min", values.front()}, {"median", median}, {"max", values.back()}, {"values", values}};
}

} // namespace

nlohmann::json evaluateKeylessAttack(const Paths& paths, int runs)
{
    const std::string name = "mri_colin_axial_z160_512.png"; // the slice test_keyregion attacks
    auto image = readImage(paths.corpus / name);
    if (!image)
        throw std::runtime_error(image.error().message);
    std::vector<double> arnoldGain, permuteGain, arnoldAttack, blockMeans;
    for (int run = 0; run < runs; ++run) {
        auto lesson = teaching::keylessAttackLesson(*image);
        if (!lesson)
            throw std::runtime_error(lesson.error().message);
        arnoldGain.push_back(lesson->arnold.attackPsnr - lesson->arnold.blockMeanPsnr);
        permuteGain.push_back(lesson->permute.attackPsnr - lesson->permute.blockMeanPsnr);
        arnoldAttack.push_back(lesson->arnold.attackPsnr);
        blockMeans.push_back(lesson->arnold.blockMeanPsnr);
    }
    return {{"image", name},
            {"runs", runs},
            {"arnold_gain_db", spread(arnoldGain)},
            {"permute_gain_db", spread(permuteGain)},
            {"arnold_attack_psnr", spread(arnoldAttack)},
            {"block_mean_psnr", spread(blockMeans)}};
}

} // namespace medveil::evaluation
