// SPDX-License-Identifier: GPL-3.0-or-later
// The rhombus prediction-error expander on its own, the way the RDH literature reports it: PSNR of the
// marked image at fixed payloads over the whole image (no key region, no texture selection, no QR), and
// the capacity–PSNR curve. Payload bits are pseudo-random with a fixed seed.
#include "Chart.h"
#include "Evaluation.h"

#include "io/ImageIo.h"
#include "keyregion/PredictionErrorExpander.h"
#include "metrics/ImageMetrics.h"

#include <cmath>
#include <iostream>
#include <random>

namespace medveil::evaluation {

namespace {

struct Embedded
{
    bool fits = false;
    double psnr = NAN;
    int passes = 0;
    bool restored = false;
};

Embedded embedBits(const Image& cover, size_t count)
{
    std::vector<uint8_t> mask(size_t(cover.width()) * cover.height(), 0);
    for (int y = 1; y + 1 < cover.height(); ++y)
        for (int x = 1; x + 1 < cover.width(); ++x)
            mask[size_t(y) * cover.width() + x] = 1;
    const PredictionErrorExpander pee(cover.width(), cover.height(), mask, 10);
    std::mt19937 rng(2009);
    std::vector<uint8_t> bits(count);
    for (auto& b : bits)
        b = uint8_t(rng() & 1u);
    Image marked = cover.clone();
    auto plan = pee.embed(marked, bits);
    Embedded e;
    if (!plan || plan->totalBits() < count)
        return e;
    e.fits = true;
    e.passes = plan->passes();
    e.psnr = *psnr(cover, marked);
    auto extracted = pee.extract(marked, *plan);
    e.restored = extracted && *extracted == bits && marked.identicalTo(cover);
    return e;
}

} // namespace

nlohmann::json evaluateReversibleHiding(const Paths& paths)
{
    std::cerr << "reversible data hiding…\n";
    std::vector<std::pair<std::string, Image>> images;
    if (auto camera = readImage(paths.camera))
        images.emplace_back("camera (skimage)", *camera);
    for (const char* name : {"mri_colin_axial_z160_512.png", "mri_natbrainlab_axial_z80_512.png"})
        images.emplace_back(std::string(name).substr(0, std::string(name).size() - 4),
                            *readImage(paths.corpus / name));
    const std::vector<double> rates = {0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8};
    nlohmann::json rows = nlohmann::json::array();
    std::vector<Series> curves;
    bool allRestored = true;
    for (const auto& [name, image] : images) {
        nlohmann::json fixed = nlohmann::json::object(), curve = nlohmann::json::array();
        for (size_t bits : {size_t(10000), size_t(20000)}) {
            const Embedded e = embedBits(image, bits);
            allRestored = allRestored && (!e.fits || e.restored);
            fixed[std::to_string(bits)] = {
                {"psnr", e.fits ? nlohmann::json(e.psnr) : nlohmann::json(nullptr)},
                {"passes", e.passes},
                {"restored", e.restored}};
        }
        Series s{name, {}};
        for (double rate : rates) {
            const size_t bits = size_t(std::llround(rate * image.width() * image.height()));
            const Embedded e = embedBits(image, bits);
            allRestored = allRestored && (!e.fits || e.restored);
            curve.push_back({{"bpp", rate},
                             {"bits", bits},
                             {"psnr", e.fits ? nlohmann::json(e.psnr) : nlohmann::json(nullptr)},
                             {"passes", e.passes},
                             {"restored", e.restored}});
            s.points.push_back({rate, e.psnr});
        }
        curves.push_back(s);
        rows.push_back({{"image", name},
                        {"size", std::to_string(image.width()) + "x" + std::to_string(image.height())},
                        {"fixed_payloads", fixed},
                        {"curve", curve}});
        std::cerr << "  " << name << "\n";
    }
    writeFigure(paths.out / "fig_rdh_capacity_psnr.png",
                lineChart("Rhombus PEE alone: PSNR against payload (whole image)",
                          Axis{"payload (bits per pixel)", 0.0, 0.8}, Axis{"PSNR (dB)", {}, {}}, curves));
    return {
        {"images", rows}, {"all_restored_bit_exact", allRestored}, {"figure", "fig_rdh_capacity_psnr.png"}};
}

} // namespace medveil::evaluation
