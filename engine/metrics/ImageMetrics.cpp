// SPDX-License-Identifier: GPL-3.0-or-later
#include "metrics/ImageMetrics.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <future>
#include <limits>
#include <system_error>

namespace medveil {

namespace {

/// Changed-window centres from which SSIM is computed on two threads (ssimWithWindow).
constexpr long kParallelSsimCentres = 64 * 1024;

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

/// SSIM with every window computed by OpenCV's separable filter: the reference ssimWithWindow() is held to
/// (ssimEveryWindow(), test_metrics).
double ssimEveryWindowWith(const Image& a, const Image& b, int window, double sigma)
{
    const double peak = dynamicRange(a);
    const double c1 = (0.01 * peak) * (0.01 * peak);
    const double c2 = (0.03 * peak) * (0.03 * peak);
    cv::Mat x, y;
    a.mat().convertTo(x, CV_64F);
    b.mat().convertTo(y, CV_64F);
    const cv::Mat kernel = cv::getGaussianKernel(window, sigma, CV_64F);
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
    return count > 0 ? sum / static_cast<double>(count) : 1.0;
}

/// The five quantities SSIM's moments are taken of — x, y, x², y², xy — as planes of `rows` × `span` doubles,
/// for the pixels [x0, x0 + span) × [y0, y0 + rows).
template <typename Pixel>
void fillProducts(const cv::Mat& a, const cv::Mat& b, int x0, int y0, int span, int rows, double* out)
{
    const size_t plane = size_t(rows) * size_t(span);
    for (int i = 0; i < rows; ++i) {
        const Pixel* pa = a.ptr<Pixel>(y0 + i) + x0;
        const Pixel* pb = b.ptr<Pixel>(y0 + i) + x0;
        double* px = out + size_t(i) * size_t(span);
        for (int c = 0; c < span; ++c) {
            const double x = pa[c], y = pb[c];
            px[c] = x;
            px[plane + c] = y;
            px[2 * plane + c] = x * x;
            px[3 * plane + c] = y * y;
            px[4 * plane + c] = x * y;
        }
    }
}

/// Σ of the SSIM term over the window centres of a block of products (fillProducts(): `rows` × `span`, the
/// centres `taps / 2` from its edges), the Gaussian moments filtered down the columns, then along the row.
/// Plain loops over doubles that the compiler vectorises; also compiled for x86-64-v3 (AVX2, FMA), chosen at
/// run time where the CPU has it — four doubles an instruction. `vertical` and `moments` hold 5 × span.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
[[gnu::target_clones("arch=x86-64-v3", "default")]]
#endif
double
ssimTermSum(const double* __restrict products, int rows, int span, const double* __restrict g, int taps,
            double c1, double c2, double* __restrict vertical, double* __restrict moments)
{
    const int n = span - (taps - 1), rowsOut = rows - (taps - 1);
    const size_t plane = size_t(rows) * size_t(span);
    double sums[4] = {0, 0, 0, 0}; // four running sums: independent additions
    for (int row = 0; row < rowsOut; ++row) {
        for (int k = 0; k < 5; ++k) {
            const double* p = products + size_t(k) * plane + size_t(row) * size_t(span);
            double* v = vertical + size_t(k) * size_t(span);
            for (int c = 0; c < span; ++c)
                v[c] = g[0] * p[c];
            for (int i = 1; i < taps; ++i) {
                const double gi = g[i];
                const double* q = p + size_t(i) * size_t(span);
                for (int c = 0; c < span; ++c)
                    v[c] += gi * q[c];
            }
            double* m = moments + size_t(k) * size_t(span);
            for (int c = 0; c < n; ++c)
                m[c] = g[0] * v[c];
            for (int j = 1; j < taps; ++j) {
                const double gj = g[j];
                for (int c = 0; c < n; ++c)
                    m[c] += gj * v[c + j];
            }
        }
        const double *mxs = moments, *mys = moments + span, *xxs = moments + 2 * size_t(span),
                     *yys = moments + 3 * size_t(span), *xys = moments + 4 * size_t(span);
        double* terms = vertical; // free again: the row's terms, then summed
        for (int c = 0; c < n; ++c) {
            const double mx = mxs[c], my = mys[c];
            const double vx = xxs[c] - mx * mx, vy = yys[c] - my * my, cxy = xys[c] - mx * my;
            terms[c] = ((2 * mx * my + c1) * (2 * cxy + c2)) / ((mx * mx + my * my + c1) * (vx + vy + c2));
        }
        int c = 0;
        for (; c + 4 <= n; c += 4)
            for (int lane = 0; lane < 4; ++lane)
                sums[lane] += terms[c + lane];
        for (; c < n; ++c)
            sums[0] += terms[c];
    }
    return (sums[0] + sums[1]) + (sums[2] + sums[3]);
}

/// Mean SSIM computed only where it can differ from 1. A window whose pixels are equal in both images has
/// equal moments, so its term is exactly 1 (numerator and denominator are the same products): only the
/// windows that reach a changed pixel are computed, per row of 8×8 tiles over the runs of tiles with a
/// changed tile within the window's radius. The protection changes the key region and the texture blocks,
/// often a minority of the image. Equal to ssimEveryWindowWith() up to rounding (≈ 1e-15; test_metrics holds
/// it to 1e-9 on real images with random changes).
double ssimWithWindow(const Image& a, const Image& b, int window, double sigma)
{
    constexpr int kTile = 8;
    const int r = window / 2, rows = a.height(), cols = a.width();
    const long total = long(std::max(0, rows - 2 * r)) * long(std::max(0, cols - 2 * r));
    if (total == 0)
        return 1.0;
    const cv::Mat &ma = a.mat(), &mb = b.mat();
    const int tilesX = (cols + kTile - 1) / kTile, tilesY = (rows + kTile - 1) / kTile;
    const size_t pixelSize = ma.elemSize();
    std::vector<uint8_t> changed(size_t(tilesX) * size_t(tilesY), 0);
    for (int y = 0; y < rows; ++y) {
        const uint8_t* pa = ma.ptr<uint8_t>(y);
        const uint8_t* pb = mb.ptr<uint8_t>(y);
        if (std::memcmp(pa, pb, size_t(cols) * pixelSize) == 0)
            continue;
        uint8_t* flags = changed.data() + size_t(y / kTile) * size_t(tilesX);
        for (int tx = 0; tx < tilesX; ++tx) {
            const int x0 = tx * kTile, width = std::min(kTile, cols - x0);
            flags[tx] |= std::memcmp(pa + size_t(x0) * pixelSize, pb + size_t(x0) * pixelSize,
                                     size_t(width) * pixelSize) != 0;
        }
    }
    // A centre's window reaches pixels at most r away: tiles within `reach` tiles of a changed one.
    const int reach = (r + kTile - 1) / kTile;
    std::vector<uint8_t> affected(changed.size(), 0);
    for (int ty = 0; ty < tilesY; ++ty)
        for (int tx = 0; tx < tilesX; ++tx) {
            if (!changed[size_t(ty) * size_t(tilesX) + size_t(tx)])
                continue;
            for (int ny = std::max(0, ty - reach); ny <= std::min(tilesY - 1, ty + reach); ++ny)
                for (int nx = std::max(0, tx - reach); nx <= std::min(tilesX - 1, tx + reach); ++nx)
                    affected[size_t(ny) * size_t(tilesX) + size_t(nx)] = 1;
        }
    const double peak = dynamicRange(a);
    const double c1 = (0.01 * peak) * (0.01 * peak);
    const double c2 = (0.03 * peak) * (0.03 * peak);
    const cv::Mat kernel = cv::getGaussianKernel(window, sigma, CV_64F);
    const double* g = kernel.ptr<double>();
    // Each tile row's sum (and count of computed centres) on its own, added in row order at the end: the
    // result is the same whichever thread computed which rows.
    std::vector<double> rowSums(size_t(tilesY), 0.0);
    std::vector<long> rowComputed(size_t(tilesY), 0);
    const auto tileRows = [&](int fromRow, int toRow) {
        std::vector<double> products, vertical(5 * size_t(cols)), moments(5 * size_t(cols));
        for (int ty = fromRow; ty < toRow; ++ty) {
            const int y0 = std::max(r, ty * kTile), y1 = std::min(rows - r, (ty + 1) * kTile);
            if (y1 <= y0)
                continue;
            double sum = 0;
            long computed = 0;
            for (int tx = 0; tx < tilesX;) {
                if (!affected[size_t(ty) * size_t(tilesX) + size_t(tx)]) {
                    ++tx;
                    continue;
                }
                int end = tx;
                while (end < tilesX && affected[size_t(ty) * size_t(tilesX) + size_t(end)])
                    ++end;
                // Centres [x0, x1) × [y0, y1), inside the valid area; their windows inside the image.
                const int x0 = std::max(r, tx * kTile), x1 = std::min(cols - r, end * kTile);
                tx = end;
                if (x1 <= x0)
                    continue;
                const int span = x1 - x0 + 2 * r, height = y1 - y0 + 2 * r;
                products.resize(5 * size_t(span) * size_t(height));
                if (a.bitDepth() == 16)
                    fillProducts<uint16_t>(ma, mb, x0 - r, y0 - r, span, height, products.data());
                else
                    fillProducts<uint8_t>(ma, mb, x0 - r, y0 - r, span, height, products.data());
                sum += ssimTermSum(products.data(), height, span, g, window, c1, c2, vertical.data(),
                                   moments.data());
                computed += long(x1 - x0) * long(y1 - y0);
            }
            rowSums[size_t(ty)] = sum;
            rowComputed[size_t(ty)] = computed;
        }
    };
    // Two halves of equal work (affected tiles) on two threads when there is enough of it to outweigh a
    // thread's start (≈ 50 µs; a 512² protection's changed windows take 2–3 ms), else one.
    const long affectedTiles = std::count(affected.begin(), affected.end(), uint8_t(1));
    int split = 0;
    if (affectedTiles * kTile * kTile >= kParallelSsimCentres) {
        long seen = 0;
        while (split < tilesY && 2 * seen < affectedTiles) {
            seen += std::count(affected.begin() + ptrdiff_t(split) * tilesX,
                               affected.begin() + ptrdiff_t(split + 1) * tilesX, uint8_t(1));
            ++split;
        }
    }
    if (split > 0 && split < tilesY) {
        std::future<void> top;
        try {
            top = std::async(std::launch::async, tileRows, 0, split);
        } catch (const std::system_error&) { // no thread to be had: all rows here
            split = 0;
        }
        tileRows(split, tilesY);
        if (top.valid())
            top.get();
    } else {
        tileRows(0, tilesY);
    }
    double sum = 0;
    long computed = 0;
    for (int ty = 0; ty < tilesY; ++ty) {
        sum += rowSums[size_t(ty)];
        computed += rowComputed[size_t(ty)];
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

double sumOfSquaredDifferences(const Image& a, const Image& b)
{
    double sumSquares = 0;
    forEachPixelPair(a, b, [&](int p, int q) {
        const double d = p - q;
        sumSquares += d * d;
    });
    return sumSquares;
}

double psnrFromSum(double sumSquares, size_t pixels, double peak)
{
    if (sumSquares == 0)
        return std::numeric_limits<double>::infinity();
    const double mse = sumSquares / static_cast<double>(pixels);
    return 10.0 * std::log10(peak * peak / mse);
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
    return psnrFromSum(sumOfSquaredDifferences(a, b), a.pixelCount(), peak);
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
    return ssimEveryWindowWith(a, b, 11, 1.5);
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
    MEDVEIL_TRY(checkComparable(reference, test));
    // Both PSNRs from one sum of squared differences: what psnrWithPeak() and psnrRange() compute each.
    const double sumSquares = sumOfSquaredDifferences(reference, test);
    double low = 0, high = 0;
    cv::minMaxLoc(reference.mat(), &low, &high);
    f.psnr = psnrFromSum(sumSquares, reference.pixelCount(), f.psnrPeak);
    f.psnrRange = psnrFromSum(sumSquares, reference.pixelCount(), std::max(1.0, high - low));
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
