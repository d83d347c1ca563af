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
    auto a = readImage(args.positional()[0]);
    if (!a)
        return reportError(a.error());
    auto b = readImage(args.positional()[1]);
    if (!b)
        return reportError(b.error());
    auto p = psnr(*a, *b);
    if (!p)
        return reportError(p.error());
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
    std::cout << "PSNR     " << formatMetric(*p) << " dB\n"
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
        "PSNR uses the peak 2^bits - 1 and is \"inf\" for identical images. SSIM is Wang et al. 2004\n"
        "(11x11 Gaussian window, sigma 1.5, K1 0.01, K2 0.03). NPCR and UACI are percentages.";
    metrics.spec.minPositional = 2;
    metrics.spec.maxPositional = 2;
    metrics.spec.flags = {"--json"};
    metrics.run = runMetrics;
    return {metrics};
}

} // namespace medveil::cli
