// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/CliSupport.h"
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

int runMetrics(const ParsedArgs& args)
{
    auto loadedA = readImageFile(args.positional()[0]);
    if (!loadedA)
        return reportError(loadedA.error());
    auto loadedB = readImageFile(args.positional()[1]);
    if (!loadedB)
        return reportError(loadedB.error());
    const Image* a = &loadedA->image;
    const Image* b = &loadedB->image;
    // The peak of `psnr`: 2^bits − 1, with DICOM's BitsStored (a 12-bit CT in 16-bit words has peak 4095).
    int peakBits = a->bitDepth();
    if (loadedA->dicom)
        peakBits = std::clamp(loadedA->dicom->info().bitsStored, 1, a->bitDepth());
    const double peak = double((1u << peakBits) - 1);
    auto p = psnrWithPeak(*a, *b, peak);
    if (!p)
        return reportError(p.error());
    const double range = *psnrRange(*a, *b);
    auto s = ssimAnySize(*a, *b);
    if (!s)
        return reportError(s.error());
    const double n = *npcr(*a, *b);
    const double u = *uaci(*a, *b);
    const double h = entropy(*b);
    const double ch = adjacentCorrelation(*b, Direction::Horizontal);
    const double cv = adjacentCorrelation(*b, Direction::Vertical);
    const double cd = adjacentCorrelation(*b, Direction::Diagonal);
    if (args.flag("--json")) {
        printJson({{"psnr", metricJson(*p)},
                   {"psnr_peak", peak},
                   {"psnr_range", metricJson(range)},
                   {"ssim", metricJson(*s)},
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
    std::cout << "PSNR     " << formatMetric(*p) << " dB (peak " << peak << ")\n"
              << "PSNR     " << formatMetric(range) << " dB (peak = data range of A)\n"
              << "SSIM     " << formatMetric(*s) << "\n"
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
    Command metrics;
    metrics.name = "metrics";
    metrics.usage = "metrics A B [--json]";
    metrics.summary = "PSNR, SSIM, NPCR, UACI between A and B; entropy and adjacent correlations of B.";
    metrics.details =
        "PSNR uses the peak 2^bits - 1 (DICOM: 2^BitsStored - 1) and is \"inf\" for identical images;\n"
        "psnr_range uses the data range of A (max - min) as the peak, the honest figure for 16-bit data.\n"
        "SSIM is Wang et al. 2004\n"
        "(11x11 Gaussian window, sigma 1.5, K1 0.01, K2 0.03). NPCR and UACI are percentages.";
    metrics.spec.minPositional = 2;
    metrics.spec.maxPositional = 2;
    metrics.spec.flags = {"--json"};
    metrics.run = runMetrics;
    return {metrics};
}

} // namespace medveil::cli
