// SPDX-License-Identifier: GPL-3.0-or-later
// Held-out evaluation of the shipped HiNet through the whole EMR pipeline (encode → hide → 8-bit stego →
// LSC cipher → sealed → open → reveal) on MRI slices never used in training, at 256×256 and 512×512,
// with every real-style note. Writes OUT_PREFIX.json and OUT_PREFIX.md (min / median / max per metric).
// Usage: hinet_eval HELDOUT_DIR NOTES_DIR OUT_PREFIX [WEIGHTS] [MAX_SLICES]   (evenly spaced subset)
#include "crypto/Digest.h"
#include "emr/EmrImageCodec.h"
#include "emr/EmrSealer.h"
#include "emr/HiNet.h"
#include "io/ImageIo.h"
#include "metrics/ImageMetrics.h"

#include <nlohmann/json.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>

using namespace medveil;
namespace fs = std::filesystem;

namespace {
struct Stats
{
    std::vector<double> values;
    nlohmann::json json()
    {
        std::sort(values.begin(), values.end());
        if (values.empty())
            return nullptr;
        return {{"min", values.front()}, {"median", values[values.size() / 2]}, {"max", values.back()}};
    }
};
} // namespace

int main(int argc, char** argv)
{
    if (argc < 4) {
        std::cerr << "usage: hinet_eval HELDOUT_DIR NOTES_DIR OUT_PREFIX [WEIGHTS]\n";
        return 1;
    }
    auto network = HiNetModel::load(argc > 4 && std::string(argv[4]) != "-" ? fs::path(argv[4]) : fs::path());
    if (!network) {
        std::cerr << network.error().message << "\n";
        return 5;
    }
    std::vector<fs::path> slices;
    for (const auto& e : fs::directory_iterator(argv[1]))
        if (e.path().extension() == ".png")
            slices.push_back(e.path());
    std::sort(slices.begin(), slices.end());
    if (argc > 5 && std::atoi(argv[5]) > 0 && size_t(std::atoi(argv[5])) < slices.size()) {
        const size_t keep = size_t(std::atoi(argv[5]));
        std::vector<fs::path> subset;
        for (size_t i = 0; i < keep; ++i)
            subset.push_back(slices[i * slices.size() / keep]);
        slices = subset;
    }
    std::vector<std::pair<std::string, std::string>> notes;
    for (const auto& e : fs::directory_iterator(argv[2])) {
        std::ifstream in(e.path(), std::ios::binary);
        notes.emplace_back(e.path().filename().string(), std::string((std::istreambuf_iterator<char>(in)),
                                                                     std::istreambuf_iterator<char>()));
    }
    std::sort(notes.begin(), notes.end());
    const RsaKey key = *RsaKey::generate(2048);
    // A fixed filler-digit key: the stego (and so every number below) is then the same on every run.
    const Bytes paddingKey = sha256(toBytes("hinet_eval padding"));
    nlohmann::json sizes = nlohmann::json::object();
    std::ostringstream md;
    md << std::fixed << std::setprecision(2);
    md << "| size | slices | stego PSNR dB (min / median / max) | stego SSIM | revealed PSNR dB | revealed "
          "SSIM | "
          "EMR exact (seal → open) | exact recovery bit-exact | exact / network file size (min / median / "
          "max) "
          "| gain over the linear line dB |\n|---|---|---|---|---|---|---|---|---|---|\n";
    bool allExact = true;
    for (int size : {256, 512}) {
        Stats stegoPsnr, stegoSsim, revealPsnr, revealSsim, sizeRatio, residualBytes, linearGain;
        int exact = 0, total = 0, bitExact = 0, bitExactTotal = 0;
        for (size_t i = 0; i < slices.size(); ++i) {
            Image slice = *readImage(slices[i]);
            cv::Mat resized;
            cv::resize(slice.mat(), resized, cv::Size(size, size), 0, 0,
                       size >= slice.width() ? cv::INTER_CUBIC : cv::INTER_AREA);
            const Image medical = *Image::fromMat(resized);
            // Every note through the full pipeline for this slice (EMR exactness), the first one for image
            // metrics.
            for (size_t n = 0; n < notes.size(); ++n) {
                ++total;
                // Network mode: what the network alone gives back (the figures of this table).
                auto sealed = EmrSealer::seal(medical, notes[n].second, key, **network, {}, 4, paddingKey,
                                              EmrRecovery::Network);
                if (!sealed) {
                    std::cerr << slices[i].filename() << " + " << notes[n].first << ": "
                              << sealed.error().message << "\n";
                    continue;
                }
                auto opened = EmrSealer::open(sealed->cipher, sealed->metadata, key, **network);
                const bool ok = opened && opened->emr == notes[n].second;
                exact += ok;
                if (n == 0 && opened) {
                    // Exact mode on the same slice: bit-exact back, and what the residual costs in file size.
                    ++bitExactTotal;
                    auto exactSeal = EmrSealer::seal(medical, notes[n].second, key, **network, {}, 4,
                                                     paddingKey, EmrRecovery::Exact);
                    if (exactSeal) {
                        auto exactOpen =
                            EmrSealer::open(exactSeal->cipher, exactSeal->metadata, key, **network);
                        bitExact += exactOpen && exactOpen->verified &&
                                    exactOpen->revealed.pixelBytes() == medical.pixelBytes();
                        const auto exactPng = encodePng(exactSeal->cipher, exactSeal->metadata);
                        const auto networkPng = encodePng(sealed->cipher, sealed->metadata);
                        if (exactPng && networkPng)
                            sizeRatio.values.push_back(double(exactPng->size()) / double(networkPng->size()));
                        residualBytes.values.push_back(double(exactSeal->residualBytes));
                    }
                    // The linear scheme on the same cover (issue #13's reference line): the network should
                    // lie above it, (revealed + stego) − (linear revealed + linear stego) > 0.
                    if (medical.bitDepth() == 8) {
                        cv::Mat c, m, stego8, r8, stegoF;
                        sealed->encoded.mat().convertTo(c, CV_64F);
                        medical.mat().convertTo(m, CV_64F);
                        const double alpha = 0.24;
                        cv::Mat(c + alpha * (m - 127.5)).convertTo(stego8, CV_8U);
                        stego8.convertTo(stegoF, CV_64F);
                        cv::Mat((stegoF - c) / alpha + 127.5).convertTo(r8, CV_8U);
                        const double linear = *psnr(sealed->encoded, *Image::fromMat(stego8)) +
                                              *psnr(medical, *Image::fromMat(r8));
                        linearGain.values.push_back(sealed->stegoPsnr + *psnr(medical, opened->revealed) -
                                                    linear);
                    }
                    stegoPsnr.values.push_back(sealed->stegoPsnr);
                    stegoSsim.values.push_back(sealed->stegoSsim);
                    revealPsnr.values.push_back(*psnr(medical, opened->revealed));
                    revealSsim.values.push_back(*ssim(medical, opened->revealed));
                }
            }
        }
        allExact = allExact && exact == total && bitExact == bitExactTotal;
        nlohmann::json row = {{"slices", slices.size()},
                              {"stego_psnr", stegoPsnr.json()},
                              {"stego_ssim", stegoSsim.json()},
                              {"revealed_psnr", revealPsnr.json()},
                              {"revealed_ssim", revealSsim.json()},
                              {"emr_exact", exact},
                              {"emr_total", total},
                              {"exact_recovery_bit_exact", bitExact},
                              {"exact_recovery_total", bitExactTotal},
                              {"exact_to_network_size_ratio", sizeRatio.json()},
                              {"residual_bytes", residualBytes.json()},
                              {"gain_over_linear_db", linearGain.json()}};
        auto cell = [](const nlohmann::json& s, int precision) {
            std::ostringstream o;
            o << std::fixed << std::setprecision(precision);
            if (s.is_null())
                return std::string("–");
            o << s["min"].get<double>() << " / " << s["median"].get<double>() << " / "
              << s["max"].get<double>();
            return o.str();
        };
        md << "| " << size << "×" << size << " | " << slices.size() << " | " << cell(row["stego_psnr"], 2)
           << " | " << cell(row["stego_ssim"], 4) << " | " << cell(row["revealed_psnr"], 2) << " | "
           << cell(row["revealed_ssim"], 4) << " | " << exact << " / " << total << " | " << bitExact << " / "
           << bitExactTotal << " | " << cell(row["exact_to_network_size_ratio"], 3) << " | "
           << cell(row["gain_over_linear_db"], 2) << " |\n";
        sizes[std::to_string(size)] = row;
    }
    const nlohmann::json out = {{"network", (*network)->describe()},
                                {"heldout", argv[1]},
                                {"notes", notes.size()},
                                {"sizes", sizes},
                                {"emr_all_exact", allExact}};
    std::ofstream(std::string(argv[3]) + ".json") << out.dump(2) << "\n";
    std::ofstream(std::string(argv[3]) + ".md") << md.str();
    std::cout << md.str();
    return allExact ? 0 : 1;
}
