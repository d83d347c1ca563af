// SPDX-License-Identifier: GPL-3.0-or-later
// Runs key-region protection over the whole corpus at default settings: protect, recover, check
// bit-exactness, read every QR code with ZXing (MedVeil's reader) and with zbarimg (independent),
// and draw Fig. 4-style panels (original | protected | recovered). Prints JSON; writes panels to OUT_DIR.
// Usage: keyregion_corpus CORPUS_DIR OUT_DIR
#include "BenchSupport.h"
#include "crypto/Digest.h"
#include "io/ImageIo.h"
#include "keyregion/KeyRegionProtector.h"
#include "keyregion/ProtectionRecord.h"
#include "keyregion/QrCodec.h"
#include "metrics/ImageMetrics.h"

#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <cstdio>
#include <filesystem>
#include <iostream>

using namespace medveil;
namespace fs = std::filesystem;

namespace {

std::string runZbar(const fs::path& png)
{
    const std::string command = "zbarimg --raw -q '" + png.string() + "' 2>/dev/null";
    std::string out = bench::commandOutput(command);
    while (!out.empty() && out.back() == '\n')
        out.pop_back();
    return out;
}

cv::Mat toDisplay8(const Image& image, double high)
{
    cv::Mat out;
    image.mat().convertTo(out, CV_8U, 255.0 / std::max(1.0, high));
    return out;
}

void writePanel(const fs::path& path, const Image& original, const Image& protectedImage,
                const Image& recovered, const Rect& region)
{
    double low = 0, high = 0;
    cv::minMaxLoc(original.mat(), &low, &high);
    std::vector<cv::Mat> tiles;
    const char* titles[] = {"original", "protected", "recovered (bit-exact)"};
    int i = 0;
    for (const Image* img : {&original, &protectedImage, &recovered}) {
        cv::Mat tile;
        cv::cvtColor(toDisplay8(*img, img == &protectedImage && img->bitDepth() == 16 ? high : high), tile,
                     cv::COLOR_GRAY2BGR);
        if (img == &original)
            cv::rectangle(tile, cv::Rect(region.x, region.y, region.width, region.height),
                          cv::Scalar(40, 40, 230), 2);
        cv::copyMakeBorder(tile, tile, 28, 4, 4, 4, cv::BORDER_CONSTANT, cv::Scalar(255, 255, 255));
        cv::putText(tile, titles[i++], cv::Point(8, 20), cv::FONT_HERSHEY_SIMPLEX, 0.6, cv::Scalar(0, 0, 0),
                    1, cv::LINE_AA);
        tiles.push_back(tile);
    }
    cv::Mat panel;
    cv::hconcat(tiles, panel);
    cv::imwrite(path.string(), panel);
}

} // namespace

int main(int argc, char** argv)
{
    if (argc < 3) {
        std::cerr << "usage: keyregion_corpus CORPUS_DIR OUT_DIR\n";
        return 1;
    }
    const fs::path corpus = argv[1], outDir = argv[2];
    fs::create_directories(outDir);
    const RsaKey key = *RsaKey::generate(2048);
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(corpus))
        if (entry.path().extension() == ".png")
            files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    nlohmann::json rows = nlohmann::json::array();
    int ok512 = 0, total512 = 0, identical = 0, zxingOk = 0, zbarOk = 0, protectedCount = 0;
    for (const auto& file : files) {
        const Image original = *readImage(file);
        nlohmann::json row = {
            {"image", file.filename().string()},
            {"size", std::to_string(original.width()) + "x" + std::to_string(original.height())},
            {"bit_depth", original.bitDepth()}};
        const bool is512 = original.width() == 512 && original.height() == 512;
        total512 += is512;
        ProtectOptions options;
        options.measureCapacity = true; // capacity_bits is printed
        options.info = {{"hospital", "Union Hospital"}, {"department", "Radiology"}, {"type", "MRI/CT"}};
        auto result = KeyRegionProtector::protect(original, key, options);
        if (!result) {
            row["protected"] = false;
            row["error"] = result.error().message;
            row["exit_code"] = result.error().exitCode();
            rows.push_back(row);
            continue;
        }
        ++protectedCount;
        ok512 += is512;
        const fs::path protectedPath = outDir / ("protected_" + file.filename().string());
        (void)writePng(protectedPath, result->image, result->metadata);
        auto recovered = KeyRegionProtector::recover(result->image, result->metadata, key);
        const bool exact = recovered && recovered->image.identicalTo(original);
        identical += exact;
        const auto pub = *PublicProtectionInfo::fromMetadata(result->metadata);
        std::string zxingText;
        const bool zxing = QrCodec::read(result->image, pub.geometry, &zxingText).ok();
        zxingOk += zxing;
        // zbarimg on the whole protected image; for 1 px/module symbols on an exact crop scaled ×4.
        std::string zbar = runZbar(protectedPath);
        if (zbar.empty() || zbar != zxingText) {
            const Rect& r = pub.geometry.region;
            cv::Mat crop = result->image.mat()(cv::Rect(r.x, r.y, r.width, r.height)), scaled;
            cv::resize(toDisplay8(*Image::fromMat(crop.clone()), pub.geometry.white), scaled, cv::Size(), 4,
                       4, cv::INTER_NEAREST);
            const fs::path cropPath = outDir / ("qrcrop_" + file.filename().string());
            cv::imwrite(cropPath.string(), scaled);
            zbar = runZbar(cropPath);
            row["zbar_on"] = "crop x4";
            fs::remove(cropPath);
        } else {
            row["zbar_on"] = "whole image";
        }
        const bool zbarMatches = !zbar.empty() && zbar == zxingText;
        zbarOk += zbarMatches;
        if (is512)
            writePanel(outDir / ("panel_" + file.stem().string() + ".png"), original, result->image,
                       exact ? recovered->image : original, result->report.region);
        const auto& r = result->report;
        row.update({{"protected", true},
                    {"identical", exact},
                    {"region", {r.region.x, r.region.y, r.region.width, r.region.height}},
                    {"threshold", r.threshold},
                    {"payload_bits", r.payloadBits},
                    {"capacity_bits", r.capacityBits},
                    {"passes", r.passes},
                    {"qr_version", r.qrVersion},
                    {"qr_module_px", r.qrModuleSize},
                    {"psnr", r.psnr},
                    {"ssim", r.ssim},
                    {"zxing", zxing},
                    {"zbarimg", zbarMatches}});
        rows.push_back(row);
        fs::remove(protectedPath);
    }
    const nlohmann::json out = {
        {"images", rows},           {"protected", protectedCount}, {"identical", identical},
        {"qr_read_zxing", zxingOk}, {"qr_read_zbarimg", zbarOk},   {"protected_512", ok512},
        {"total_512", total512}};
    std::cout << out.dump(2) << std::endl;
    return identical == protectedCount && zxingOk == protectedCount && zbarOk == protectedCount ? 0 : 1;
}
