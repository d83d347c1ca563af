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
    nlohmann::json rows = nlohmann::json::array();
    std::vector<double> onBodyPerRun, protectedPerRun;
    for (int run = 0; run < runs; ++run) {
        const RsaKey key = *RsaKey::generate(2048); // fresh keys every run: the outcome depends on them
        int measured = 0, onBody = 0, protectedCount = 0;
        for (const auto& file : files) {
            auto loaded = readImageFile(file);
            if (!loaded)
                continue;
            nlohmann::json* existing = nullptr;
            for (auto& r : rows)
                if (r["file"] == file.filename().string())
                    existing = &r;
            const Image& image = loaded->image;
            const BodyMask body = BodyMask::compute(image);
            nlohmann::json row = {
                {"file", file.filename().string()},
                {"size", std::to_string(image.width()) + "x" + std::to_string(image.height())},
                {"bits", image.bitDepth()},
                {"body_share", body.bodyShare()}};
            auto result = KeyRegionProtector::protect(image, key, ProtectOptions{});
            auto candidates = KeyRegionProtector::candidateRegions(image, {}, 2048);
            if (!candidates) {
                row["error"] = candidates.error().message;
                if (!existing)
                    rows.push_back(row);
                continue;
            }
            const Rect region = result ? result->report.region : candidates->front();
            double best = 0;
            for (int y = 0; y + region.height <= image.height(); y += 8)
                for (int x = 0; x + region.width <= image.width(); x += 8)
                    best = std::max(best, body.fraction(x, y, region.width, region.height));
            const double fraction = body.fraction(region.x, region.y, region.width, region.height);
            const double ratio = best > 0 ? fraction / best : 1.0;
            row.update({{"region", {region.x, region.y, region.width, region.height}},
                        {"region_body_fraction", fraction},
                        {"best_body_fraction", best},
                        {"ratio", ratio},
                        {"protected", bool(result)}});
            if (!result)
                row["error"] = result.error().message;
            ++measured;
            onBody += ratio >= 0.75;
            protectedCount += bool(result);
            if (existing) { // a later run: what it took beside the first run's row
                auto& r = *existing;
                r["runs_on_body"] = r["runs_on_body"].get<int>() + int(ratio >= 0.75);
                r["runs_protected"] = r["runs_protected"].get<int>() + int(bool(result));
                r["ratio_min"] = std::min(r["ratio_min"].get<double>(), ratio);
                r["ratio_max"] = std::max(r["ratio_max"].get<double>(), ratio);
                const nlohmann::json taken = {region.x, region.y, region.width, region.height};
                if (std::find(r["regions"].begin(), r["regions"].end(), taken) == r["regions"].end())
                    r["regions"].push_back(taken);
                continue;
            }
            row.update({{"runs_on_body", int(ratio >= 0.75)},
                        {"runs_protected", int(bool(result))},
                        {"ratio_min", ratio},
                        {"ratio_max", ratio},
                        {"regions", nlohmann::json::array({row["region"]})}});
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
            rows.push_back(row);
        }
        onBodyPerRun.push_back(onBody);
        protectedPerRun.push_back(protectedCount);
    }
    const int measured =
        int(std::count_if(rows.begin(), rows.end(), [](const auto& r) { return r.contains("ratio"); }));
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
