// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/CliSupport.h"
#include "io/DicomFile.h"
#include "io/ImageIo.h"
#include "metrics/ImageMetrics.h"

#include <iostream>

namespace medveil::cli {

namespace {

std::string formatMetric(double value)
{
    if (std::isinf(value))
        return "inf";
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.6f", value);
    return buffer;
}

Result<int> runMetrics(const ParsedArgs& args)
{
    MEDVEIL_ASSIGN_OR_RETURN(const LoadedImage loadedA, readImageFile(args.positional()[0]));
    MEDVEIL_ASSIGN_OR_RETURN(const LoadedImage loadedB, readImageFile(args.positional()[1]));
    const Image* a = &loadedA.image;
    const Image* b = &loadedB.image;
    // PSNR's peak and SSIM's range: the engine's one definition (2^BitsStored − 1 for DICOM, as A carries
    // it).
    MEDVEIL_ASSIGN_OR_RETURN(const Fidelity figures, fidelity(*a, *b));
    const double p = figures.psnr, peak = figures.psnrPeak, range = figures.psnrRange, s = figures.ssim;
    MEDVEIL_ASSIGN_OR_RETURN(const double n, npcr(*a, *b));
    MEDVEIL_ASSIGN_OR_RETURN(const double u, uaci(*a, *b));
    const double h = entropy(*b);
    const double ch = adjacentCorrelation(*b, Direction::Horizontal);
    const double cv = adjacentCorrelation(*b, Direction::Vertical);
    const double cd = adjacentCorrelation(*b, Direction::Diagonal);
    if (args.flag("--json")) {
        printJson({{"psnr", metricJson(p)},
                   {"psnr_peak", peak},
                   {"psnr_range", metricJson(range)},
                   {"ssim", metricJson(s)},
                   {"ssim_range", peak},
                   {"npcr", n},
                   {"uaci", u},
                   {"entropy", h},
                   {"corr_h", ch},
                   {"corr_v", cv},
                   {"corr_d", cd},
                   {"width", b->width()},
                   {"height", b->height()},
                   {"bit_depth", b->bitDepth()}});
        return 0;
    }
    std::cout << "PSNR     " << formatMetric(p) << " dB (peak " << peak << ")\n"
              << "PSNR     " << formatMetric(range) << " dB (peak = data range of A)\n"
              << "SSIM     " << formatMetric(s) << " (L " << peak << ")\n"
              << "NPCR     " << formatMetric(n) << " %\n"
              << "UACI     " << formatMetric(u) << " %\n"
              << "entropy  " << formatMetric(h) << " bits (of B)\n"
              << "corr h   " << formatMetric(ch) << "\n"
              << "corr v   " << formatMetric(cv) << "\n"
              << "corr d   " << formatMetric(cd) << "\n";
    return 0;
}

} // namespace

std::vector<Command> metricsCommands()
{
    const Command metrics{
        .name = "metrics",
        .usage = "metrics A B [--json]",
        .summary = "PSNR, SSIM, NPCR, UACI between A and B; entropy and adjacent correlations of B.",
        .details =
            R"txt(PSNR uses the peak 2^bits - 1 of A (DICOM: 2^BitsStored - 1; --json: psnr_peak) and is "inf"
for identical images; psnr_range uses the data range of A (max - min) as the peak, the honest
figure for 16-bit data. SSIM is Wang et al. 2004 (11x11 Gaussian window, sigma 1.5, K1 0.01,
K2 0.03) with the same dynamic range L (ssim_range). NPCR and UACI are percentages.)txt",
        .spec = {.flags = {"--json"}, .minPositional = 2, .maxPositional = 2},
        .run = runMetrics};
    return {metrics};
}

} // namespace medveil::cli
