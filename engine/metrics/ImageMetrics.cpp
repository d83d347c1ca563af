// SPDX-License-Identifier: GPL-3.0-or-later
#include "metrics/ImageMetrics.h"

#include <opencv2/imgproc.hpp>

#include <cmath>
#include <cstring>
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

/// Sum and count of the SSIM map over the window centres of `a` and `b` (same-size crops) at least `r` from
/// the crop's edge.
std::pair<double, long> ssimMapSum(const cv::Mat& a, const cv::Mat& b, int window, double sigma, double peak)
{
    const double c1 = (0.01 * peak) * (0.01 * peak);
    const double c2 = (0.03 * peak) * (0.03 * peak);
    cv::Mat x, y;
    a.convertTo(x, CV_64F);
    b.convertTo(y, CV_64F);
    static thread_local std::pair<int, double> kernelFor{0, 0.0};
    static thread_local cv::Mat cachedKernel; // built once per window and thread, not per call
    if (kernelFor != std::make_pair(window, sigma)) {
        cachedKernel = cv::getGaussianKernel(window, sigma, CV_64F);
        kernelFor = {window, sigma};
    }
    const cv::Mat& kernel = cachedKernel;
    auto blur = [&](const cv::Mat& in) {
        cv::Mat out;
        cv::sepFilter2D(in, out, CV_64F, kernel, kernel, cv::Point(-1, -1), 0, cv::BORDER_REFLECT);
        return out;
    };
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
    const cv::Mat &muX = moments[0], &muY = moments[1], &xx = moments[2], &yy = moments[3], &xy = moments[4];
    const int r = window / 2;
    double sum = 0;
    long count = 0;
    for (int row = r; row < x.rows - r; ++row) {
        const double *pmx = muX.ptr<double>(row), *pmy = muY.ptr<double>(row);
        const double *pxx = xx.ptr<double>(row), *pyy = yy.ptr<double>(row), *pxy = xy.ptr<double>(row);
        for (int col = r; col < x.cols - r; ++col) {
            const double mx = pmx[col], my = pmy[col];
            const double vx = pxx[col] - mx * mx;
            const double vy = pyy[col] - my * my;
            const double cxy = pxy[col] - mx * my;
            sum += ((2 * mx * my + c1) * (2 * cxy + c2)) / ((mx * mx + my * my + c1) * (vx + vy + c2));
            ++count;
        }
    }
    return {sum, count};
}

/// Every window computed: the reference ssim() must equal.
double ssimWhole(const Image& a, const Image& b, int window, double sigma)
{
    const auto [sum, count] = ssimMapSum(a.mat(), b.mat(), window, sigma, dynamicRange(a));
    return count > 0 ? sum / static_cast<double>(count) : 1.0;
}

/// SSIM computed only where it can differ from 1. A window whose pixels are equal in both images has equal
/// moments, so its SSIM is exactly 1 (numerator and denominator are the same products); only windows that
/// reach a changed pixel are computed — in bands of kBand rows, over the runs of changed kBand-wide tiles
/// widened by the window radius. The protection changes the key region and the texture blocks, often a small
/// part of the image. Equal to ssimWhole() up to the order of the summation (≈ 1e-15).
double ssimWithWindow(const Image& a, const Image& b, int window, double sigma)
{
    constexpr int kBand = 64;
    const int r = window / 2, rows = a.height(), cols = a.width();
    const long total = long(std::max(0, rows - 2 * r)) * long(std::max(0, cols - 2 * r));
    if (total == 0)
        return 1.0;
    const int tilesX = (cols + kBand - 1) / kBand, tilesY = (rows + kBand - 1) / kBand;
    std::vector<uint8_t> changed(size_t(tilesX) * size_t(tilesY), 0);
    const size_t pixelSize = a.mat().elemSize();
    for (int y = 0; y < rows; ++y) {
        const uint8_t* pa = a.mat().ptr<uint8_t>(y);
        const uint8_t* pb = b.mat().ptr<uint8_t>(y);
        for (int tx = 0; tx < tilesX; ++tx) {
            uint8_t& flag = changed[size_t(y / kBand) * tilesX + tx];
            const int x0 = tx * kBand, width = std::min(kBand, cols - x0);
            flag = flag || std::memcmp(pa + x0 * pixelSize, pb + x0 * pixelSize, width * pixelSize) != 0;
        }
    }
    // A window centre is affected when a changed tile is within r: tiles are wider than r, so the changed
    // tiles' neighbours cover every affected centre.
    std::vector<uint8_t> affected(changed.size(), 0);
    size_t affectedCount = 0;
    for (int ty = 0; ty < tilesY; ++ty)
        for (int tx = 0; tx < tilesX; ++tx) {
            bool any = false;
            for (int dy = -1; dy <= 1 && !any; ++dy)
                for (int dx = -1; dx <= 1 && !any; ++dx) {
                    const int ny = ty + dy, nx = tx + dx;
                    any =
                        ny >= 0 && nx >= 0 && ny < tilesY && nx < tilesX && changed[size_t(ny) * tilesX + nx];
                }
            affected[size_t(ty) * tilesX + tx] = any;
            affectedCount += any;
        }
    if (affectedCount == 0)
        return 1.0;
    if (kBand <= r || affectedCount * 10 >= affected.size() * 8) // mostly changed: the whole image at once
        return ssimWhole(a, b, window, sigma);
    // Runs of affected tiles per band: window centres [x0, x1) × [y0, y1) inside the valid area, computed on
    // the crop widened by r on every side (inside the image, as the centres are at least r from its edge).
    struct Run
    {
        int x0, x1, y0, y1;
    };
    std::vector<Run> runs;
    for (int ty = 0; ty < tilesY; ++ty)
        for (int tx = 0; tx < tilesX;) {
            if (!affected[size_t(ty) * tilesX + tx]) {
                ++tx;
                continue;
            }
            int end = tx;
            while (end < tilesX && affected[size_t(ty) * tilesX + end])
                ++end;
            const Run run{std::max(r, tx * kBand), std::min(cols - r, end * kBand), std::max(r, ty * kBand),
                          std::min(rows - r, (ty + 1) * kBand)};
            if (run.x1 > run.x0 && run.y1 > run.y0)
                runs.push_back(run);
            tx = end;
        }
    const double peak = dynamicRange(a);
    std::vector<std::pair<double, long>> sums(runs.size());
    cv::parallel_for_(cv::Range(0, int(runs.size())), [&](const cv::Range& range) {
        for (int i = range.start; i < range.end; ++i) {
            const Run& run = runs[size_t(i)];
            const cv::Rect crop(run.x0 - r, run.y0 - r, run.x1 - run.x0 + 2 * r, run.y1 - run.y0 + 2 * r);
            sums[size_t(i)] = ssimMapSum(a.mat()(crop).clone(), b.mat()(crop).clone(), window, sigma, peak);
        }
    });
    double sum = 0;
    long computed = 0;
    for (const auto& [partSum, partCount] : sums) {
        sum += partSum;
        computed += partCount;
    }
    return (sum + static_cast<double>(total - computed)) / static_cast<double>(total);
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
    return ssimWithWindow(a, b, 11, 1.5);
}

Result<double> ssimEveryWindow(const Image& a, const Image& b)
{
    MEDVEIL_TRY(checkComparable(a, b));
    if (a.width() < 11 || a.height() < 11)
        return makeError(ErrorKind::BadInput, "SSIM needs images of at least 11×11 pixels");
    return ssimWhole(a, b, 11, 1.5);
}

Result<double> ssimAnySize(const Image& a, const Image& b)
{
    MEDVEIL_TRY(checkComparable(a, b));
    int window = std::min({11, a.width(), a.height()});
    if (window % 2 == 0)
        --window;
    if (window < 3)
        return a.identicalTo(b) ? 1.0 : 0.0;
    return ssimWithWindow(a, b, window, 1.5 * window / 11.0);
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
