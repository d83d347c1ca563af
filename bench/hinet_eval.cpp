// SPDX-License-Identifier: GPL-3.0-or-later
// Held-out evaluation of HiNet through the whole EMR pipeline (encode → hide → 8-bit stego → LSC cipher →
// sealed → open → reveal) on MRI slices never used in training, at their native size and at 512×512, with
// every real-style note — for the shipped network, the paper's plain HiNet (ablation, --plain) and the
// linear scheme the conditioned network starts from; plus other modalities (--other: fundus photographs at
// native size) and 16-bit DICOM (--dicom: PSNR against the data range). Writes OUT_PREFIX.json and
// OUT_PREFIX.md (min / median / max per metric) and exits 1 unless every EMR came back exactly and every
// exact-recovery image bit-exactly.
// Usage: hinet_eval HELDOUT_DIR NOTES_DIR OUT_PREFIX [WEIGHTS|-] [MAX_SLICES]
//                   [--plain WEIGHTS] [--other DIR] [--dicom FILE]...
//        hinet_eval --modalities DIR NOTES_DIR OUT_PREFIX [WEIGHTS|-] [--notes N]
//   the held-out per-modality table of issue #29: every image of DIR/MODALITY/*.png (made by
//   tools/extract_hinet_slices.py: volumes and images never trained on) at its native size and at 512²,
//   network-only seal → open (8-bit rounding) with the first N notes (default 2) and exact recovery with
//   the first; revealed PSNR and SSIM against the data range (max − min of the original) for 16-bit images,
//   against 255 for 8-bit ones; stego PSNR; EMR exactness. Exits 1 unless every EMR and every exact
//   recovery came back exactly.
#include "BenchSupport.h"
#include "core/ProcessSetup.h"
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
#include <set>
#include <sstream>

using namespace medveil;
namespace fs = std::filesystem;

namespace {

struct Stats
{
    std::vector<double> values;
    [[nodiscard]] nlohmann::json json() const
    {
        std::vector<double> sorted = values;
        std::sort(sorted.begin(), sorted.end());
        if (sorted.empty())
            return nullptr;
        return {{"min", sorted.front()}, {"median", medveil::bench::median(sorted)}, {"max", sorted.back()}};
    }
};

/// SSIM (11×11 Gaussian, σ = 1.5, valid windows, as metrics' ssim) with L = the reference's data range
/// (max − min): a 12-bit CT in 16-bit words is judged against its own range, not 65535.
double ssimDataRange(const Image& reference, const Image& test)
{
    cv::Mat x, y;
    reference.mat().convertTo(x, CV_64F);
    test.mat().convertTo(y, CV_64F);
    double lo = 0, hi = 0;
    cv::minMaxLoc(x, &lo, &hi);
    const double peak = std::max(hi - lo, 1.0);
    const double c1 = (0.01 * peak) * (0.01 * peak), c2 = (0.03 * peak) * (0.03 * peak);
    const cv::Mat kernel = cv::getGaussianKernel(11, 1.5, CV_64F);
    auto blur = [&](const cv::Mat& in) {
        cv::Mat out;
        cv::sepFilter2D(in, out, CV_64F, kernel, kernel, cv::Point(-1, -1), 0, cv::BORDER_REFLECT);
        return out;
    };
    const cv::Mat mx = blur(x), my = blur(y), xx = blur(x.mul(x)), yy = blur(y.mul(y)), xy = blur(x.mul(y));
    double sum = 0;
    long count = 0;
    for (int r = 5; r < x.rows - 5; ++r)
        for (int c = 5; c < x.cols - 5; ++c) {
            const double a = mx.at<double>(r, c), b = my.at<double>(r, c);
            const double va = xx.at<double>(r, c) - a * a, vb = yy.at<double>(r, c) - b * b;
            const double cov = xy.at<double>(r, c) - a * b;
            sum += ((2 * a * b + c1) * (2 * cov + c2)) / ((a * a + b * b + c1) * (va + vb + c2));
            ++count;
        }
    return count ? sum / double(count) : 1.0;
}

using Notes = std::vector<std::pair<std::string, std::string>>;

struct Context
{
    RsaKey key;
    Bytes paddingKey; ///< fixed filler digits: the stego, and so every number, is the same on every run
    Notes notes;
};

/// One image through network-mode and exact-mode seal → open, with the linear scheme on the same cover.
struct ImageResult
{
    bool sealed = false;
    int emrExact = 0, emrTotal = 0;
    double stegoPsnr = 0, stegoSsim = 0, revealPsnr = 0, revealSsim = 0;
    double linearStegoPsnr = 0, linearRevealPsnr = 0, linearRevealSsim = 0;
    bool hasLinear = false;
    bool bitExact = false;
    double sizeRatio = 0, residualBytes = 0;
    double strengthReductionDb = 0; ///< adaptive strength (EmrSealer::kStegoFloorDb): 0 at full strength
};

ImageResult evaluateImage(const Image& medical, HiNetModel& network, const Context& ctx, size_t notes,
                          const std::string& name)
{
    ImageResult out;
    for (size_t n = 0; n < notes && n < ctx.notes.size(); ++n) {
        ++out.emrTotal;
        // Network mode: what the network alone gives back (the image figures of the tables).
        auto sealed = EmrSealer::seal(medical, ctx.notes[n].second, ctx.key, network, {},
                                      EmrSealer::kAutoBase, ctx.paddingKey, EmrRecovery::Network);
        if (!sealed) {
            std::cerr << name << " + " << ctx.notes[n].first << ": " << sealed.error().message << "\n";
            continue;
        }
        auto opened = EmrSealer::open(sealed->cipher, sealed->metadata, ctx.key, network);
        out.emrExact += opened && opened->emr == ctx.notes[n].second;
        if (n != 0 || !opened)
            continue;
        out.sealed = true;
        out.stegoPsnr = sealed->stegoPsnr;
        out.stegoSsim = sealed->stegoSsim;
        out.strengthReductionDb = sealed->strengthReductionDb;
        // 16-bit data against their own range (a 12-bit CT in a 16-bit container is not judged by 65535).
        out.revealPsnr = medical.bitDepth() == 8 ? *psnr(medical, opened->revealed)
                                                 : *psnrRange(medical, opened->revealed);
        out.revealSsim = medical.bitDepth() == 8 ? *ssim(medical, opened->revealed)
                                                 : ssimDataRange(medical, opened->revealed);
        // Exact mode on the same image: bit-exact back, and what the residual costs in file size.
        auto exactSeal = EmrSealer::seal(medical, ctx.notes[n].second, ctx.key, network, {},
                                         EmrSealer::kAutoBase, ctx.paddingKey, EmrRecovery::Exact);
        if (exactSeal) {
            auto exactOpen = EmrSealer::open(exactSeal->cipher, exactSeal->metadata, ctx.key, network);
            out.bitExact = exactOpen && exactOpen->verified &&
                           exactOpen->revealed.pixelBytes() == medical.pixelBytes() &&
                           exactOpen->emr == ctx.notes[n].second;
            const auto exactPng = encodePng(exactSeal->cipher, exactSeal->metadata);
            const auto networkPng = encodePng(sealed->cipher, sealed->metadata);
            if (exactPng && networkPng)
                out.sizeRatio = double(exactPng->size()) / double(networkPng->size());
            out.residualBytes = double(exactSeal->residualBytes);
        }
        // The linear scheme on the same cover (the conditioned network's start, issue #13's reference
        // line): stego = cover + α·(secret − ½), reveal = (stego − cover)/α + ½, after 8-bit rounding.
        if (medical.bitDepth() == 8) {
            cv::Mat c, m, stego8, r8, stegoF;
            sealed->encoded.mat().convertTo(c, CV_64F);
            medical.mat().convertTo(m, CV_64F);
            const double alpha = 0.24;
            cv::Mat(c + alpha * (m - 127.5)).convertTo(stego8, CV_8U);
            stego8.convertTo(stegoF, CV_64F);
            cv::Mat((stegoF - c) / alpha + 127.5).convertTo(r8, CV_8U);
            out.hasLinear = true;
            out.linearStegoPsnr = *psnr(sealed->encoded, *Image::fromMat(stego8));
            out.linearRevealPsnr = *psnr(medical, *Image::fromMat(r8));
            out.linearRevealSsim = *ssim(medical, *Image::fromMat(r8));
        }
    }
    return out;
}

/// Rows of one model over a set of images.
struct Row
{
    Stats stegoPsnr, stegoSsim, revealPsnr, revealSsim, sizeRatio, residualBytes, gain;
    Stats weakenedDb; ///< the strength reductions of the images sealed weaker than their own scale
    int emrExact = 0, emrTotal = 0, bitExact = 0, bitExactTotal = 0, images = 0;
    Stats linearStego, linearReveal, linearRevealSsim;

    void add(const ImageResult& r)
    {
        ++images;
        emrExact += r.emrExact, emrTotal += r.emrTotal;
        if (!r.sealed)
            return;
        stegoPsnr.values.push_back(r.stegoPsnr), stegoSsim.values.push_back(r.stegoSsim);
        revealPsnr.values.push_back(r.revealPsnr), revealSsim.values.push_back(r.revealSsim);
        ++bitExactTotal, bitExact += r.bitExact;
        if (r.strengthReductionDb > 0)
            weakenedDb.values.push_back(r.strengthReductionDb);
        if (r.sizeRatio > 0)
            sizeRatio.values.push_back(r.sizeRatio), residualBytes.values.push_back(r.residualBytes);
        if (r.hasLinear) {
            linearStego.values.push_back(r.linearStegoPsnr);
            linearReveal.values.push_back(r.linearRevealPsnr);
            linearRevealSsim.values.push_back(r.linearRevealSsim);
            gain.values.push_back(r.stegoPsnr + r.revealPsnr - r.linearStegoPsnr - r.linearRevealPsnr);
        }
    }
    [[nodiscard]] bool allExact() const { return emrExact == emrTotal && bitExact == bitExactTotal; }
    [[nodiscard]] nlohmann::json json() const
    {
        return {{"slices", images},
                {"stego_psnr", stegoPsnr.json()},
                {"stego_ssim", stegoSsim.json()},
                {"revealed_psnr", revealPsnr.json()},
                {"revealed_ssim", revealSsim.json()},
                {"emr_exact", emrExact},
                {"emr_total", emrTotal},
                {"exact_recovery_bit_exact", bitExact},
                {"exact_recovery_total", bitExactTotal},
                {"exact_to_network_size_ratio", sizeRatio.json()},
                {"residual_bytes", residualBytes.json()},
                {"gain_over_linear_db", gain.json()},
                {"weakened_images", weakenedDb.values.size()},
                {"strength_reduction_db", weakenedDb.json()}};
    }
    [[nodiscard]] nlohmann::json linearJson() const
    {
        return {{"slices", images},
                {"stego_psnr", linearStego.json()},
                {"revealed_psnr", linearReveal.json()},
                {"revealed_ssim", linearRevealSsim.json()}};
    }
};

std::string cell(const nlohmann::json& s, int precision)
{
    if (s.is_null())
        return "–";
    std::ostringstream o;
    o << std::fixed << std::setprecision(precision) << s["min"].get<double>() << " / "
      << s["median"].get<double>() << " / " << s["max"].get<double>();
    return o.str();
}

Image atSize(const Image& slice, int size)
{
    if (size <= 0 || (slice.width() == size && slice.height() == size))
        return slice;
    cv::Mat resized;
    cv::resize(slice.mat(), resized, cv::Size(size, size), 0, 0,
               size >= slice.width() ? cv::INTER_CUBIC : cv::INTER_AREA);
    return *Image::fromMat(resized);
}

std::vector<fs::path> pngsIn(const fs::path& dir)
{
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.path().extension() == ".png")
            files.push_back(e.path());
    std::sort(files.begin(), files.end());
    return files;
}

/// "none", or how many images adaptive strength sealed weaker and by how much (dB, the largest).
std::string weakenedCell(const Stats& weakened)
{
    if (weakened.values.empty())
        return "none";
    std::ostringstream o;
    o << weakened.values.size() << " (≤ " << std::fixed << std::setprecision(1)
      << weakened.json()["max"].get<double>() << " dB)";
    return o.str();
}

/// Issue #29's held-out table: one row per modality and size (see the usage at the top).
int evaluateModalities(int argc, char** argv)
{
    std::vector<std::string> positional;
    size_t notesPerImage = 2;
    for (int i = 2; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--notes" && i + 1 < argc)
            notesPerImage = size_t(std::max(1, std::atoi(argv[++i])));
        else
            positional.push_back(a);
    }
    if (positional.size() < 3) {
        std::cerr << "usage: hinet_eval --modalities DIR NOTES_DIR OUT_PREFIX [WEIGHTS|-] [--notes N]\n";
        return 1;
    }
    auto network = HiNetModel::load(positional.size() > 3 && positional[3] != "-" ? fs::path(positional[3])
                                                                                  : fs::path());
    if (!network) {
        std::cerr << network.error().message << "\n";
        return 5;
    }
    Context ctx{*RsaKey::generate(2048), sha256(toBytes("hinet_eval padding")), {}};
    for (const auto& e : fs::directory_iterator(positional[1])) {
        std::ifstream in(e.path(), std::ios::binary);
        ctx.notes.emplace_back(e.path().filename().string(), std::string((std::istreambuf_iterator<char>(in)),
                                                                         std::istreambuf_iterator<char>()));
    }
    std::sort(ctx.notes.begin(), ctx.notes.end());
    std::vector<fs::path> modalities;
    for (const auto& e : fs::directory_iterator(positional[0]))
        if (e.is_directory())
            modalities.push_back(e.path());
    // A folder named synthetic-* holds a test pattern (a DICOM header around generated pixels), not a
    // modality: its rows come last and are reported, but the targets are judged on the modalities.
    auto synthetic = [](const fs::path& dir) { return dir.filename().string().rfind("synthetic-", 0) == 0; };
    std::sort(modalities.begin(), modalities.end(), [&](const fs::path& a, const fs::path& b) {
        return std::make_pair(synthetic(a), a) < std::make_pair(synthetic(b), b);
    });

    bool allExact = true;
    nlohmann::json rows = nlohmann::json::array();
    std::ostringstream md;
    md << "| modality | size | images | bits | revealed PSNR dB (min / median / max) | revealed SSIM | stego "
          "PSNR dB | sealed weaker (adaptive strength) | EMR exact | exact recovery bit-exact |\n"
          "|---|---|---|---|---|---|---|---|---|---|\n";
    std::vector<double> allPsnr, allSsim, allStego, allWeakened;
    for (const auto& [label, size] : std::vector<std::pair<std::string, int>>{{"native", 0}, {"512", 512}}) {
        for (const auto& dir : modalities) {
            Row row;
            std::set<int> bits;
            for (const auto& path : pngsIn(dir)) {
                auto loaded = readImage(path);
                if (!loaded) {
                    std::cerr << path << ": " << loaded.error().message << "\n";
                    allExact = false;
                    continue;
                }
                const Image medical = atSize(*loaded, size);
                bits.insert(medical.bitDepth());
                const ImageResult r =
                    evaluateImage(medical, **network, ctx, notesPerImage, path.filename().string());
                row.add(r);
                std::cerr << label << " " << dir.filename().string() << "/" << path.filename().string()
                          << ": revealed " << r.revealPsnr << " dB, SSIM " << r.revealSsim << ", stego "
                          << r.stegoPsnr << " dB\n";
            }
            allExact = allExact && row.allExact();
            const bool judged = !synthetic(dir);
            if (judged) {
                allPsnr.insert(allPsnr.end(), row.revealPsnr.values.begin(), row.revealPsnr.values.end());
                allSsim.insert(allSsim.end(), row.revealSsim.values.begin(), row.revealSsim.values.end());
                allStego.insert(allStego.end(), row.stegoPsnr.values.begin(), row.stegoPsnr.values.end());
                allWeakened.insert(allWeakened.end(), row.weakenedDb.values.begin(),
                                   row.weakenedDb.values.end());
            }
            nlohmann::json j = row.json();
            j["judged"] = judged;
            j["modality"] = dir.filename().string();
            j["size"] = label;
            rows.push_back(j);
            std::string bitsText;
            for (int b : bits)
                bitsText += (bitsText.empty() ? "" : ", ") + std::to_string(b);
            md << "| " << dir.filename().string() << (judged ? "" : " (test pattern, not judged)") << " | "
               << (size ? "512×512" : "native") << " | " << j["slices"] << " | " << bitsText << " | "
               << cell(j["revealed_psnr"], 2) << " | " << cell(j["revealed_ssim"], 4) << " | "
               << cell(j["stego_psnr"], 2) << " | " << weakenedCell(row.weakenedDb) << " | " << j["emr_exact"]
               << " / " << j["emr_total"] << " | " << j["exact_recovery_bit_exact"] << " / "
               << j["exact_recovery_total"] << " |\n";
        }
    }
    Stats psnrAll{allPsnr}, ssimAll{allSsim}, stegoAll{allStego};
    const auto p = psnrAll.json(), q = ssimAll.json(), g = stegoAll.json();
    md << "| **all modalities** | both | " << allPsnr.size() << " | | " << cell(p, 2) << " | " << cell(q, 4)
       << " | " << cell(g, 2) << " | " << weakenedCell(Stats{allWeakened}) << " | | |\n";
    const std::string table = md.str();
    // Issue #29's targets, checked on every image of every modality (test patterns apart).
    nlohmann::json targets = nlohmann::json::object();
    if (!p.is_null()) {
        targets = {{"revealed_median_ge_48", p["median"].get<double>() >= 48},
                   {"revealed_min_ge_45", p["min"].get<double>() >= 45},
                   {"ssim_min_ge_0_98", q["min"].get<double>() >= 0.98},
                   {"stego_min_ge_32", g["min"].get<double>() >= 32},
                   {"emr_and_exact_recovery_all_exact", allExact}};
        md << "\nTargets (issue #29): revealed median ≥ 48 dB: "
           << (targets["revealed_median_ge_48"].get<bool>() ? "met" : "NOT met")
           << "; minimum ≥ 45 dB: " << (targets["revealed_min_ge_45"].get<bool>() ? "met" : "NOT met")
           << "; SSIM ≥ 0.98 everywhere: " << (targets["ssim_min_ge_0_98"].get<bool>() ? "met" : "NOT met")
           << "; stego ≥ 32 dB: " << (targets["stego_min_ge_32"].get<bool>() ? "met" : "NOT met")
           << "; EMR and exact recovery exact: " << (allExact ? "met" : "NOT met") << ".\n";
    }
    const nlohmann::json out = {{"network", (*network)->describe()},
                                {"modalities_dir", positional[0]},
                                {"notes_per_image", notesPerImage},
                                {"rows", rows},
                                {"all",
                                 {{"revealed_psnr", p},
                                  {"revealed_ssim", q},
                                  {"stego_psnr", g},
                                  {"images", allPsnr.size()},
                                  {"weakened_images", allWeakened.size()},
                                  {"strength_reduction_db", Stats{allWeakened}.json()}}},
                                // The table as printed: the report embeds it (one renderer).
                                {"table_md", table},
                                {"targets", targets},
                                {"emr_all_exact", allExact}};
    std::ofstream(positional[2] + ".json") << out.dump(2) << "\n";
    std::ofstream(positional[2] + ".md") << md.str();
    std::cout << md.str();
    return allExact ? 0 : 1;
}

} // namespace

int main(int argc, char** argv)
{
    medveil::prepareProcessForEngine(); // as medveil and medveil-cli do
    if (argc > 1 && std::string(argv[1]) == "--modalities")
        return evaluateModalities(argc, argv);
    std::vector<std::string> positional;
    std::string plainWeights, otherDir;
    std::vector<std::string> dicomFiles;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--plain" && i + 1 < argc)
            plainWeights = argv[++i];
        else if (a == "--other" && i + 1 < argc)
            otherDir = argv[++i];
        else if (a == "--dicom" && i + 1 < argc)
            dicomFiles.emplace_back(argv[++i]);
        else
            positional.push_back(a);
    }
    if (positional.size() < 3) {
        std::cerr << "usage: hinet_eval HELDOUT_DIR NOTES_DIR OUT_PREFIX [WEIGHTS|-] [MAX_SLICES] "
                     "[--plain WEIGHTS] [--other DIR] [--dicom FILE]...\n";
        return 1;
    }
    auto network = HiNetModel::load(positional.size() > 3 && positional[3] != "-" ? fs::path(positional[3])
                                                                                  : fs::path());
    if (!network) {
        std::cerr << network.error().message << "\n";
        return 5;
    }
    std::shared_ptr<HiNetModel> plain;
    if (!plainWeights.empty()) {
        auto loaded = HiNetModel::load(plainWeights);
        if (!loaded) {
            std::cerr << loaded.error().message << "\n";
            return 5;
        }
        plain = *loaded;
    }
    std::vector<fs::path> slices = pngsIn(positional[0]);
    if (positional.size() > 4 && std::atoi(positional[4].c_str()) > 0 &&
        size_t(std::atoi(positional[4].c_str())) < slices.size()) {
        const size_t keep = size_t(std::atoi(positional[4].c_str()));
        std::vector<fs::path> subset;
        for (size_t i = 0; i < keep; ++i) // evenly spaced
            subset.push_back(slices[i * slices.size() / keep]);
        slices = subset;
    }
    Context ctx{*RsaKey::generate(2048), sha256(toBytes("hinet_eval padding")), {}};
    for (const auto& e : fs::directory_iterator(positional[1])) {
        std::ifstream in(e.path(), std::ios::binary);
        ctx.notes.emplace_back(e.path().filename().string(), std::string((std::istreambuf_iterator<char>(in)),
                                                                         std::istreambuf_iterator<char>()));
    }
    std::sort(ctx.notes.begin(), ctx.notes.end());

    bool allExact = true;
    nlohmann::json models = nlohmann::json::object(), linear = nlohmann::json::object();
    std::ostringstream md;
    md << "| model | size | images | stego PSNR dB (min / median / max) | revealed PSNR dB | revealed SSIM | "
          "EMR exact | exact recovery bit-exact | exact / network file size | gain over the linear line "
          "dB |\n|---|---|---|---|---|---|---|---|---|---|\n";
    const std::vector<std::pair<std::string, int>> sizes = {{"native", 0}, {"512", 512}};
    for (const auto& [label, size] : sizes) {
        Row trained, ablation;
        for (const auto& path : slices) {
            const Image medical = atSize(*readImage(path), size);
            trained.add(evaluateImage(medical, **network, ctx, ctx.notes.size(), path.filename().string()));
            if (plain) // the ablation: image figures and EMR exactness with the first note
                ablation.add(evaluateImage(medical, *plain, ctx, 1, path.filename().string()));
        }
        allExact = allExact && trained.allExact();
        models["trained"][label] = trained.json();
        linear[label] = trained.linearJson();
        if (plain)
            models["plain"][label] = ablation.json();
        const std::string sizeText =
            size ? std::to_string(size) + "×" + std::to_string(size) : "native (256×256)";
        const auto line = [&](const std::string& name, const nlohmann::json& r, bool full) {
            md << "| " << name << " | " << sizeText << " | " << r["slices"] << " | "
               << cell(r["stego_psnr"], 2) << " | " << cell(r["revealed_psnr"], 2) << " | "
               << cell(r["revealed_ssim"], 4) << " | ";
            if (full)
                md << r["emr_exact"] << " / " << r["emr_total"] << " | " << r["exact_recovery_bit_exact"]
                   << " / " << r["exact_recovery_total"] << " | " << cell(r["exact_to_network_size_ratio"], 3)
                   << " | " << cell(r["gain_over_linear_db"], 2) << " |\n";
            else
                md << "– | – | – | 0 (by definition) |\n";
        };
        line("linear start", linear[label], false);
        if (plain)
            line("plain HiNet (the paper's design)", models["plain"][label], true);
        line("**trained (shipped)**", models["trained"][label], true);
    }

    // Other modalities at their native size, and 16-bit DICOM against the data range.
    nlohmann::json others = nlohmann::json::array();
    std::vector<fs::path> otherImages;
    if (!otherDir.empty())
        otherImages = pngsIn(otherDir);
    for (const auto& f : dicomFiles)
        otherImages.emplace_back(f);
    if (!otherImages.empty())
        md << "\n| image | size | bits | stego PSNR dB | revealed PSNR dB (peak) | revealed SSIM | EMR exact "
              "| "
              "bit-exact | exact / network size | gain dB |\n|---|---|---|---|---|---|---|---|---|---|\n";
    for (const auto& path : otherImages) {
        auto loaded = readImageFile(path);
        if (!loaded) {
            std::cerr << path << ": " << loaded.error().message << "\n";
            allExact = false;
            continue;
        }
        const Image& medical = loaded->image;
        const ImageResult r = evaluateImage(medical, **network, ctx, 1, path.filename().string());
        allExact = allExact && r.emrExact == r.emrTotal && r.bitExact;
        nlohmann::json row = {{"image", path.filename().string()},
                              {"width", medical.width()},
                              {"height", medical.height()},
                              {"bit_depth", medical.bitDepth()},
                              {"stego_psnr", r.stegoPsnr},
                              {"revealed_psnr", r.revealPsnr},
                              {"psnr_peak", medical.bitDepth() == 8 ? "255" : "data range"},
                              {"revealed_ssim", r.revealSsim},
                              {"emr_exact", r.emrExact == r.emrTotal},
                              {"bit_exact", r.bitExact},
                              {"exact_to_network_size_ratio", r.sizeRatio}};
        if (r.hasLinear)
            row["gain_over_linear_db"] = r.stegoPsnr + r.revealPsnr - r.linearStegoPsnr - r.linearRevealPsnr;
        others.push_back(row);
        md << std::fixed << std::setprecision(2) << "| " << path.filename().string() << " | "
           << medical.width() << "×" << medical.height() << " | " << medical.bitDepth() << " | "
           << r.stegoPsnr << " | " << r.revealPsnr << (medical.bitDepth() == 8 ? " (255)" : " (data range)")
           << " | " << std::setprecision(4) << r.revealSsim << " | "
           << (r.emrExact == r.emrTotal ? "yes" : "NO") << " | " << (r.bitExact ? "yes" : "NO") << " | "
           << std::setprecision(3) << r.sizeRatio << " | " << std::setprecision(2);
        if (r.hasLinear)
            md << row["gain_over_linear_db"].get<double>();
        else
            md << "–";
        md << " |\n";
    }

    const nlohmann::json out = {
        {"network", (*network)->describe()},
        {"plain_network", plain ? nlohmann::json(plain->describe()) : nlohmann::json()},
        {"heldout", positional[0]},
        {"notes", ctx.notes.size()},
        {"models", models},
        {"linear", linear},
        {"sizes", models["trained"]}, // the shipped network's rows, by size
        {"other", others},
        {"emr_all_exact", allExact}};
    std::ofstream(positional[2] + ".json") << out.dump(2) << "\n";
    std::ofstream(positional[2] + ".md") << md.str();
    std::cout << md.str();
    return allExact ? 0 : 1;
}
