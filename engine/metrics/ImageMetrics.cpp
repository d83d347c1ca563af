// SPDX-License-Identifier: GPL-3.0-or-later
#include "metrics/ImageMetrics.h"

#include <opencv2/imgproc.hpp>

#include <cmath>
#include <limits>

namespace medveil {

namespace {

Status checkComparable(const Image& a, const Image& b)
{
    if (a.empty() || b.empty())
        return makeError(ErrorKind::BadInput, "cannot compare an empty image");
    if (a.width() != b.width() || a.height() != b.height())
        return makeError(ErrorKind::BadInput, "images differ in size (" + std::to_string(a.width()) + "×" +
                                                  std::to_string(a.height()) + " vs " +
                                                  std::to_string(b.width()) + "×" +
                                                  std::to_string(b.height()) + ")");
    if (a.bitDepth() != b.bitDepth())
        return makeError(ErrorKind::BadInput, "images differ in bit depth");
    return {};
}

/// Output rows of one SSIM strip: about half a megapixel of doubles per plane, so that the ten planes a
/// strip needs (two images, three products, five moments) stay near 45 MB at any image size (a whole 8000²
/// image needed 5 GB); at least 64 rows, so that the 10 rows of context each strip re-reads cost little.
int ssimStripRows(int cols)
{
    return std::max(64, (1 << 19) / std::max(1, cols));
}

double ssimWithWindow(const Image& a, const Image& b, int window, double sigma, int stripRows)
{
    const double peak = dynamicRange(a);
    const double c1 = (0.01 * peak) * (0.01 * peak);
    const double c2 = (0.03 * peak) * (0.03 * peak);
    const cv::Mat kernel = cv::getGaussianKernel(window, sigma, CV_64F);
    auto blur = [&](const cv::Mat& in) {
        cv::Mat out;
        cv::sepFilter2D(in, out, CV_64F, kernel, kernel, cv::Point(-1, -1), 0, cv::BORDER_REFLECT);
        return out;
    };
    const int r = window / 2, rows = a.height(), cols = a.width();
    double sum = 0;
    long count = 0;
    // Only the 'valid' window positions count, so each strip of output rows [top, bottom) needs the input
    // rows [top − r, bottom + r) and nothing outside them: every local moment of a strip is the value the
    // whole-image filter gives (the same taps in the same order), and the rows are summed in the same
    // order, so the result is the whole-image SSIM exactly, in memory bounded by the strip.
    for (int top = r; top < rows - r; top += stripRows) {
        const int bottom = std::min(rows - r, top + stripRows);
        const cv::Range input(top - r, bottom + r);
        cv::Mat x, y;
        a.mat().rowRange(input).convertTo(x, CV_64F);
        b.mat().rowRange(input).convertTo(y, CV_64F);
        // The five local moments are independent: computed in parallel (OpenCV's pool).
        cv::Mat moments[5];
        cv::parallel_for_(cv::Range(0, 5), [&](const cv::Range& range) {
            for (int i = range.start; i < range.end; ++i)
                moments[i] = i == 0   ? blur(x)
                             : i == 1 ? blur(y)
                             : i == 2 ? blur(x.mul(x))
                             : i == 3 ? blur(y.mul(y))
                                      : blur(x.mul(y));
        });
        const cv::Mat &muX = moments[0], &muY = moments[1], &xx = moments[2], &yy = moments[3],
                      &xy = moments[4];
        for (int row = r; row < r + (bottom - top); ++row) {
            const double *pmx = muX.ptr<double>(row), *pmy = muY.ptr<double>(row);
            const double *pxx = xx.ptr<double>(row), *pyy = yy.ptr<double>(row), *pxy = xy.ptr<double>(row);
            for (int col = r; col < cols - r; ++col) {
                const double mx = pmx[col], my = pmy[col];
                const double vx = pxx[col] - mx * mx;
                const double vy = pyy[col] - my * my;
                const double cxy = pxy[col] - mx * my;
                sum += ((2 * mx * my + c1) * (2 * cxy + c2)) / ((mx * mx + my * my + c1) * (vx + vy + c2));
                ++count;
            }
        }
    }
    return count > 0 ? sum / static_cast<double>(count) : 1.0;
}

template <typename Fn> void forEachPixelPair(const Image& a, const Image& b, Fn&& fn)
{
    for (int y = 0; y < a.height(); ++y) {
        if (a.bitDepth() == 16) {
            const auto* pa = a.mat().ptr<uint16_t>(y);
            const auto* pb = b.mat().ptr<uint16_t>(y);
            for (int x = 0; x < a.width(); ++x)
                fn(int(pa[x]), int(pb[x]));
        } else {
            const auto* pa = a.mat().ptr<uint8_t>(y);
            const auto* pb = b.mat().ptr<uint8_t>(y);
            for (int x = 0; x < a.width(); ++x)
                fn(int(pa[x]), int(pb[x]));
        }
    }
}

} // namespace

double dynamicRange(const Image& reference)
{
    return double((1u << reference.significantBits()) - 1);
}

Result<double> psnr(const Image& a, const Image& b)
{
    return psnrWithPeak(a, b, dynamicRange(a));
}

Result<double> psnrRange(const Image& a, const Image& b)
{
    double low = 0, high = 0;
    if (!a.empty())
        cv::minMaxLoc(a.mat(), &low, &high);
    return psnrWithPeak(a, b, std::max(1.0, high - low));
}

Result<double> psnrWithPeak(const Image& a, const Image& b, double peak)
{
    MEDVEIL_TRY(checkComparable(a, b));
    if (!(peak > 0))
        return makeError(ErrorKind::BadInput, "the PSNR peak must be positive");
    double sumSquares = 0;
    forEachPixelPair(a, b, [&](int p, int q) {
        const double d = p - q;
        sumSquares += d * d;
    });
    if (sumSquares == 0)
        return std::numeric_limits<double>::infinity();
    const double mse = sumSquares / static_cast<double>(a.pixelCount());
    return 10.0 * std::log10(peak * peak / mse);
}

Result<double> ssim(const Image& a, const Image& b)
{
    MEDVEIL_TRY(checkComparable(a, b));
    if (a.width() < 11 || a.height() < 11)
        return makeError(ErrorKind::BadInput, "SSIM needs images of at least 11×11 pixels");
    return ssimWithWindow(a, b, 11, 1.5, ssimStripRows(a.width()));
}

Result<double> ssimInStrips(const Image& a, const Image& b, int stripRows)
{
    MEDVEIL_TRY(checkComparable(a, b));
    if (a.width() < 11 || a.height() < 11)
        return makeError(ErrorKind::BadInput, "SSIM needs images of at least 11×11 pixels");
    if (stripRows < 1)
        return makeError(ErrorKind::BadInput, "an SSIM strip has at least one row");
    return ssimWithWindow(a, b, 11, 1.5, stripRows);
}

Result<double> ssimAnySize(const Image& a, const Image& b)
{
    MEDVEIL_TRY(checkComparable(a, b));
    int window = std::min({11, a.width(), a.height()});
    if (window % 2 == 0)
        --window;
    if (window < 3)
        return a.identicalTo(b) ? 1.0 : 0.0;
    return ssimWithWindow(a, b, window, 1.5 * window / 11.0, ssimStripRows(a.width()));
}

Result<double> npcr(const Image& a, const Image& b)
{
    MEDVEIL_TRY(checkComparable(a, b));
    size_t differing = 0;
    forEachPixelPair(a, b, [&](int p, int q) { differing += (p != q); });
    return 100.0 * static_cast<double>(differing) / static_cast<double>(a.pixelCount());
}

Result<double> uaci(const Image& a, const Image& b)
{
    MEDVEIL_TRY(checkComparable(a, b));
    double sum = 0;
    forEachPixelPair(a, b, [&](int p, int q) { sum += std::abs(p - q); });
    return 100.0 * sum / (static_cast<double>(a.pixelCount()) * dynamicRange(a));
}

Result<Fidelity> fidelity(const Image& reference, const Image& test)
{
    Fidelity f;
    f.psnrPeak = dynamicRange(reference);
    MEDVEIL_ASSIGN_OR_RETURN(f.psnr, psnrWithPeak(reference, test, f.psnrPeak));
    MEDVEIL_ASSIGN_OR_RETURN(f.psnrRange, psnrRange(reference, test));
    MEDVEIL_ASSIGN_OR_RETURN(f.ssim, ssimAnySize(reference, test));
    return f;
}

std::vector<uint64_t> histogram(const Image& image)
{
    std::vector<uint64_t> bins(static_cast<size_t>(image.maxValue()) + 1, 0);
    forEachPixelPair(image, image, [&](int p, int) { ++bins[static_cast<size_t>(p)]; });
    return bins;
}

double entropy(const Image& image)
{
    if (image.empty())
        return 0;
    const auto bins = histogram(image);
    const double total = static_cast<double>(image.pixelCount());
    double h = 0;
    for (uint64_t count : bins) {
        if (count == 0)
            continue;
        const double p = static_cast<double>(count) / total;
        h -= p * std::log2(p);
    }
    return h;
}

double adjacentCorrelation(const Image& image, Direction direction)
{
    const int dx = direction == Direction::Vertical ? 0 : 1;
    const int dy = direction == Direction::Horizontal ? 0 : 1;
    double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
    double n = 0;
    for (int y = 0; y + dy < image.height(); ++y) {
        for (int x = 0; x + dx < image.width(); ++x) {
            const double p = image.at(x, y), q = image.at(x + dx, y + dy);
            sx += p;
            sy += q;
            sxx += p * p;
            syy += q * q;
            sxy += p * q;
            n += 1;
        }
    }
    if (n < 2)
        return 0;
    const double cov = sxy / n - (sx / n) * (sy / n);
    const double vx = sxx / n - (sx / n) * (sx / n);
    const double vy = syy / n - (sy / n) * (sy / n);
    if (vx <= 0 || vy <= 0)
        return 0;
    return cov / std::sqrt(vx * vy);
}

} // namespace medveil
