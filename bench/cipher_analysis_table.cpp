// SPDX-License-Identifier: GPL-3.0-or-later
// Security analysis of the LSC cipher on real medical images at 512×512 and 256×256: NPCR/UACI against
// Wu et al. 2011's α = 0.05 critical values, entropy, χ², adjacent correlations, key sensitivity.
// Then the one-pixel-pair study (emr/CipherAnalysis: the paper's figure, each image under its own maps, and
// the diffusion figure, both under the same maps) for every cipher version over SEEDS seeds of PAIRS pairs
// on the 512² corpus images (8- and 16-bit): the pass shares' median and range over the seeds.
// Writes OUT_PREFIX.json and OUT_PREFIX.md and prints the Markdown. Deterministic (fixed key and seeds).
// Usage: cipher_analysis_table CORPUS_DIR OUT_PREFIX [SEEDS [PAIRS]]
#include "BenchSupport.h"
#include "crypto/Digest.h"
#include "emr/CipherAnalysis.h"
#include "emr/LscChaoticCipher.h"
#include "io/ImageIo.h"
#include "metrics/ImageMetrics.h"

#include <nlohmann/json.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>

using namespace medveil;

int main(int argc, char** argv)
{
    if (argc < 3) {
        std::cerr << "usage: cipher_analysis_table CORPUS_DIR OUT_PREFIX\n";
        return 1;
    }
    const std::string corpus = argv[1], prefix = argv[2];
    const int seeds = argc > 3 ? std::atoi(argv[3]) : 5, pairs = argc > 4 ? std::atoi(argv[4]) : 100;
    const Bytes key = sha256(toBytes("MedVeil cipher analysis key"));
    const char* names[] = {"mri_colin_axial_z130_512.png",    "mri_colin_axial_z160_512.png",
                           "mri_colin_axial_z190_512.png",    "mri_colin_coronal_y200_512.png",
                           "mri_colin_sagittal_x150_512.png", "mri_natbrainlab_axial_z80_512.png"};
    nlohmann::json rows = nlohmann::json::array();
    std::ostringstream md;
    md << std::fixed << std::setprecision(4);
    md << "| image | size | NPCR % (≥ crit) | UACI % (crit range) | entropy | χ² (< crit) | corr h / v / d "
          "(cipher) | "
          "key-bit NPCR % | NPCR / UACI / χ² pass rate, 40 keys | pass "
          "|\n|---|---|---|---|---|---|---|---|---|---|\n";
    bool allPass = true;
    for (int size : {512, 256}) {
        for (const char* name : names) {
            Image image = *readImage(corpus + "/" + name);
            if (size != 512) {
                cv::Mat small;
                cv::resize(image.mat(), small, cv::Size(size, size), 0, 0, cv::INTER_AREA);
                image = *Image::fromMat(small);
            }
            auto a = analyseCipher(image, key);
            if (!a) {
                std::cerr << a.error().message << "\n";
                return 5;
            }
            // NPCR/UACI are hypothesis tests: an ideal cipher fails each 5 % of the time at α = 0.05. The
            // pass rate over many keys shows whether the cipher behaves like the ideal one.
            int npcrPasses = 0, uaciPasses = 0, chiPasses = 0;
            constexpr int kKeys = 40;
            Image changed = image.clone();
            changed.set(image.width() / 2, image.height() / 2,
                        (image.at(image.width() / 2, image.height() / 2) + 1) % (image.maxValue() + 1));
            const Bytes hashA = sha256(image.pixelBytes()), hashB = sha256(changed.pixelBytes());
            for (int k = 0; k < kKeys; ++k) {
                Bytes trialKey = key;
                trialKey[31] = static_cast<uint8_t>(k);
                trialKey = sha256(trialKey);
                const Image c1 = *LscChaoticCipher::encrypt(image, trialKey, hashA);
                const Image c2 = *LscChaoticCipher::encrypt(changed, trialKey, hashB);
                const double n = *npcr(c1, c2), u = *uaci(c1, c2);
                npcrPasses += n >= a->critical.npcr;
                chiPasses += histogramChiSquare(c1) < a->chiSquareCritical;
                uaciPasses += u >= a->critical.uaciLow && u <= a->critical.uaciHigh;
            }
            const double npcrRate = 100.0 * npcrPasses / kKeys, uaciRate = 100.0 * uaciPasses / kKeys;
            const double chiRate = 100.0 * chiPasses / kKeys;
            const bool corrPass = std::abs(a->corrCipher[0]) < 0.01 && std::abs(a->corrCipher[1]) < 0.01 &&
                                  std::abs(a->corrCipher[2]) < 0.01;
            const bool entropyPass = size != 512 || a->entropyCipher >= 7.999;
            // The single-key verdict is reported as it is; the row passes when the pass rates over 40 keys
            // are those of an ideal cipher (≥ 85 %, i.e. within sampling error of 95 %).
            const bool pass = npcrRate >= 85 && uaciRate >= 85 && chiRate >= 85 && corrPass && entropyPass &&
                              a->keyNpcr >= 99.5;
            allPass = allPass && pass;
            rows.push_back({{"image", name},
                            {"size", size},
                            {"npcr", a->npcr},
                            {"npcr_critical", a->critical.npcr},
                            {"uaci", a->uaci},
                            {"uaci_critical", {a->critical.uaciLow, a->critical.uaciHigh}},
                            {"entropy_plain", a->entropyPlain},
                            {"entropy_cipher", a->entropyCipher},
                            {"chi_square_plain", a->chiSquarePlain},
                            {"chi_square_cipher", a->chiSquareCipher},
                            {"chi_square_critical", a->chiSquareCritical},
                            {"corr_plain", {a->corrPlain[0], a->corrPlain[1], a->corrPlain[2]}},
                            {"corr_cipher", {a->corrCipher[0], a->corrCipher[1], a->corrCipher[2]}},
                            {"key_bit_npcr", a->keyNpcr},
                            {"key_bit_uaci", a->keyUaci},
                            {"wrong_key_npcr", a->wrongKeyNpcr},
                            {"wrong_key_psnr", a->wrongKeyPsnr},
                            {"encrypt_ms", a->encryptMs},
                            {"npcr_pass_single_key", a->npcrPass},
                            {"uaci_pass_single_key", a->uaciPass},
                            {"npcr_pass_rate_40_keys", npcrRate},
                            {"uaci_pass_rate_40_keys", uaciRate},
                            {"chi_square_pass_rate_40_keys", chiRate},
                            {"pass", pass}});
            md << "| " << name << " | " << size << " | " << a->npcr << " (" << a->critical.npcr << ") | "
               << a->uaci << " (" << a->critical.uaciLow << "–" << a->critical.uaciHigh << ") | "
               << a->entropyCipher << " | " << std::setprecision(1) << a->chiSquareCipher << " ("
               << a->chiSquareCritical << ")" << std::setprecision(4) << " | " << a->corrCipher[0] << " / "
               << a->corrCipher[1] << " / " << a->corrCipher[2] << " | " << a->keyNpcr << " | "
               << std::setprecision(0) << npcrRate << " % / " << uaciRate << " % / " << chiRate << " %"
               << std::setprecision(4) << " | " << (pass ? "yes" : "**no**") << " |\n";
        }
    }
    // The one-pixel-pair study, per version, over several seeds.
    std::vector<Image> study;
    std::vector<std::string> studyNames;
    for (const char* name : names) {
        study.push_back(*readImage(corpus + "/" + name));
        studyNames.emplace_back(name);
    }
    for (const char* name :
         {"ct_small_512_16.png", "mr_small_512_16.png", "mri_macaque_axial_z70_512_16.png"}) {
        study.push_back(*readImage(corpus + "/" + name));
        studyNames.emplace_back(name);
    }
    nlohmann::json diffusion = nlohmann::json::array();
    md << "\nOne-pixel pairs (one bit of one pixel flipped; image, pixel, bit and key drawn from the seed), "
       << pairs << " pairs per seed over " << study.size() << " images, seeds 1–" << seeds
       << "; pass shares (an ideal cipher: 95 %), median and range over the seeds:\n\n"
          "| cipher version | maps | NPCR median % | UACI median % | NPCR pass share % | UACI pass share % | "
          "seeds passing |\n|---|---|---|---|---|---|---|\n";
    bool currentPasses = true;
    for (const LscCipherVersion version : {LscCipherVersion::V1, LscCipherVersion::V2}) {
        for (const bool sameMaps : {false, true}) {
            std::vector<double> npcrShare, uaciShare, npcrMedian, uaciMedian;
            nlohmann::json perSeed = nlohmann::json::array();
            int seedsPassing = 0;
            for (int seed = 1; seed <= seeds; ++seed) {
                CipherStudyOptions options;
                options.seed = uint64_t(seed);
                options.pairs = pairs;
                options.version = version;
                auto report = analyseCipherReport(study, options);
                if (!report) {
                    std::cerr << report.error().message << "\n";
                    return 5;
                }
                const DiffusionRow& row = sameMaps ? report->sameMaps : report->paper;
                npcrShare.push_back(100.0 * row.npcrPassing / row.pairs);
                uaciShare.push_back(100.0 * row.uaciPassing / row.pairs);
                npcrMedian.push_back(row.npcrMedian);
                uaciMedian.push_back(row.uaciMedian);
                seedsPassing += row.pass;
                perSeed.push_back({{"seed", seed},
                                   {"npcr_passing", row.npcrPassing},
                                   {"uaci_passing", row.uaciPassing},
                                   {"minimum_passing", row.minimumPassing},
                                   {"npcr", {row.npcrMin, row.npcrMedian, row.npcrMax}},
                                   {"uaci", {row.uaciMin, row.uaciMedian, row.uaciMax}},
                                   {"pass", row.pass}});
            }
            auto stats = [](std::vector<double> v) {
                std::sort(v.begin(), v.end());
                return nlohmann::json{
                    {"min", v.front()}, {"median", medveil::bench::median(v)}, {"max", v.back()}};
            };
            const nlohmann::json entry = {{"cipher_version", int(version)},
                                          {"maps", sameMaps ? "same" : "plaintext-seeded"},
                                          {"pairs_per_seed", pairs},
                                          {"npcr_pass_share", stats(npcrShare)},
                                          {"uaci_pass_share", stats(uaciShare)},
                                          {"npcr_median", stats(npcrMedian)},
                                          {"uaci_median", stats(uaciMedian)},
                                          {"seeds", seeds},
                                          {"seeds_passing", seedsPassing},
                                          {"per_seed", perSeed}};
            diffusion.push_back(entry);
            if (version == LscChaoticCipher::kCurrentVersion)
                currentPasses = currentPasses && seedsPassing == seeds;
            auto range = [&](const nlohmann::json& st, int decimals) {
                std::ostringstream t;
                t << std::fixed << std::setprecision(decimals) << st["median"].get<double>() << " ("
                  << st["min"].get<double>() << "–" << st["max"].get<double>() << ")";
                return t.str();
            };
            md << "| " << int(version)
               << (version == LscChaoticCipher::kCurrentVersion ? " (current)" : " (earlier releases)")
               << " | " << (sameMaps ? "same (diffusion)" : "own, plaintext-seeded (paper)") << " | "
               << range(entry["npcr_median"], 4) << " | " << range(entry["uaci_median"], 4) << " | "
               << range(entry["npcr_pass_share"], 0) << " | " << range(entry["uaci_pass_share"], 0) << " | "
               << seedsPassing << " of " << seeds << " |\n";
        }
    }
    allPass = allPass && currentPasses;
    nlohmann::json studyImages = nlohmann::json::array();
    for (size_t i = 0; i < study.size(); ++i)
        studyImages.push_back({{"image", studyNames[i]}, {"bits", study[i].bitDepth()}});
    const nlohmann::json out = {{"analysis", "lsc_cipher"},
                                {"cipher_version", int(LscChaoticCipher::kCurrentVersion)},
                                {"key", "SHA-256(\"MedVeil cipher analysis key\")"},
                                {"rows", rows},
                                {"diffusion_images", studyImages},
                                {"diffusion", diffusion},
                                {"all_pass", allPass}};
    std::ofstream(prefix + ".json") << out.dump(2) << "\n";
    std::ofstream(prefix + ".md") << md.str();
    std::cout << md.str();
    return allPass ? 0 : 1;
}
