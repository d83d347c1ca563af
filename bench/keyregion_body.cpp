// SPDX-License-Identifier: GPL-3.0-or-later
// Does the automatic key region land on the anatomy? For every image of the given folders (PNG/TIFF/DICOM):
// the body mask's share of the image, the region protect() chooses (auto), that region's body fraction,
// the best body fraction any block of that size reaches, their ratio (issue #15's acceptance: >= 0.75 in
// >= 85 % of images), and whether protection succeeded. Writes the mask with the chosen region drawn to
// OUT_DIR. Prints JSON.
// The outcome is random: the QR code that replaces the region carries freshly encrypted parameters, and the
// texture blocks' capacity is measured with it in place, so whether a region fits (and so which candidate
// protect() takes) changes with the keys. --runs N protects every image N times with fresh keys and reports
// the count of regions on the body as the median and range over the runs (per image: every region taken).
// Usage: keyregion_body [--runs N] OUT_DIR DIR_OR_FILE...
#include "BenchSupport.h"
#include "crypto/RsaKey.h"
#include "io/ImageIo.h"
#include "keyregion/BodyMask.h"
#include "keyregion/KeyRegionProtector.h"

#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <filesystem>
#include <iostream>

using namespace medveil;
namespace fs = std::filesystem;

int main(int argc, char** argv)
{
    int runs = 1;
    int first = 1;
    if (argc > 2 && std::string(argv[1]) == "--runs") {
        runs = std::max(1, std::atoi(argv[2]));
        first = 3;
    }
    if (argc < first + 2) {
        std::cerr << "usage: keyregion_body [--runs N] OUT_DIR DIR_OR_FILE...\n";
        return 1;
    }
    const fs::path outDir = argv[first];
    fs::create_directories(outDir);
    std::vector<fs::path> files;
    for (int i = first + 1; i < argc; ++i) {
        if (fs::is_directory(argv[i])) {
            for (const auto& e : fs::directory_iterator(argv[i]))
                if (e.is_regular_file())
                    files.push_back(e.path());
        } else {
            files.emplace_back(argv[i]);
        }
    }
    std::sort(files.begin(), files.end());
    // One key pair per run, the same for every image of that run.
    std::vector<RsaKey> keys;
    for (int run = 0; run < runs; ++run)
        keys.push_back(*RsaKey::generate(2048));
    nlohmann::json rows = nlohmann::json::array();
    std::vector<double> onBodyPerRun(size_t(runs), 0.0), protectedPerRun(size_t(runs), 0.0);
    int measured = 0;
    for (const auto& file : files) {
        auto loaded = readImageFile(file);
        if (!loaded)
            continue;
        const Image& image = loaded->image;
        const BodyMask body = BodyMask::compute(image);
        nlohmann::json row = {{"file", file.filename().string()},
                              {"size", std::to_string(image.width()) + "x" + std::to_string(image.height())},
                              {"bits", image.bitDepth()},
                              {"body_share", body.bodyShare()}};
        auto candidates = KeyRegionProtector::candidateRegions(image, {}, 2048);
        if (!candidates) {
            row["error"] = candidates.error().message;
            rows.push_back(row);
            continue;
        }
        ++measured;
        int runsOnBody = 0, runsProtected = 0;
        double ratioMin = 0, ratioMax = 0;
        nlohmann::json regions = nlohmann::json::array();
        for (int run = 0; run < runs; ++run) {
            auto result = KeyRegionProtector::protect(image, keys[size_t(run)], ProtectOptions{});
            const Rect region = result ? result->report.region : candidates->front();
            double best = 0;
            for (int y = 0; y + region.height <= image.height(); y += 8)
                for (int x = 0; x + region.width <= image.width(); x += 8)
                    best = std::max(best, body.fraction(x, y, region.width, region.height));
            const double fraction = body.fraction(region.x, region.y, region.width, region.height);
            const double ratio = best > 0 ? fraction / best : 1.0;
            const nlohmann::json taken = {region.x, region.y, region.width, region.height};
            if (std::find(regions.begin(), regions.end(), taken) == regions.end())
                regions.push_back(taken);
            runsOnBody += ratio >= 0.75;
            runsProtected += bool(result);
            onBodyPerRun[size_t(run)] += ratio >= 0.75;
            protectedPerRun[size_t(run)] += bool(result);
            ratioMin = run == 0 ? ratio : std::min(ratioMin, ratio);
            ratioMax = run == 0 ? ratio : std::max(ratioMax, ratio);
            if (run != 0)
                continue;
            // The first run's region is the row's, and the one drawn on the mask.
            row.update({{"region", taken},
                        {"region_body_fraction", fraction},
                        {"best_body_fraction", best},
                        {"ratio", ratio},
                        {"protected", bool(result)}});
            if (!result)
                row["error"] = result.error().message;
            cv::Mat view;
            cv::cvtColor(body.mask() / 2, view, cv::COLOR_GRAY2BGR);
            cv::Mat grey;
            image.mat().convertTo(grey, CV_8U, image.bitDepth() == 16 ? 1.0 / 256 : 1.0);
            cv::Mat greyBgr;
            cv::cvtColor(grey, greyBgr, cv::COLOR_GRAY2BGR);
            cv::addWeighted(greyBgr, 0.7, view, 0.3, 0, view);
            cv::rectangle(view, cv::Rect(region.x, region.y, region.width, region.height),
                          cv::Scalar(40, 40, 230), 2);
            cv::imwrite((outDir / (file.stem().string() + "_body.png")).string(), view);
        }
        row.update({{"runs_on_body", runsOnBody},
                    {"runs_protected", runsProtected},
                    {"ratio_min", ratioMin},
                    {"ratio_max", ratioMax},
                    {"regions", regions}});
        rows.push_back(row);
    }
    const double onBody = bench::median(onBodyPerRun);
    const nlohmann::json summary = {
        {"images", measured},
        {"runs", runs},
        // Median over the runs (fresh keys each), and the range.
        {"region_on_body", onBody},
        {"region_on_body_min", *std::min_element(onBodyPerRun.begin(), onBodyPerRun.end())},
        {"region_on_body_max", *std::max_element(onBodyPerRun.begin(), onBodyPerRun.end())},
        {"share_on_body", measured ? onBody / measured : 0.0},
        {"protected", bench::median(protectedPerRun)},
        {"rows", rows}};
    std::cout << summary.dump(2) << "\n";
    return 0;
}
