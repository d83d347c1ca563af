// SPDX-License-Identifier: GPL-3.0-or-later
#include "keyregion/KeyRegionFinder.h"

#include "keyregion/BodyMask.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>

namespace medveil {

namespace {

/// Rows of the integral images of `image` (the sum and the sum of squares, in doubles) — exactly the values
/// cv::integral(image, sum, sqsum, CV_64F, CV_64F) has in those rows — computed one image row at a time, so
/// that only the wanted rows are ever held (the whole pair is 16 bytes per pixel). cv::integral adds the
/// row's running sums, exact in doubles, to the row above: one rounded addition per value, repeated here in
/// the same order (its results above 2^53, sums of squares of large 16-bit images, are rounded the same).
class IntegralRows
{
public:
    IntegralRows(const Image& image, std::vector<int> wanted) : m_rows(std::move(wanted))
    {
        std::sort(m_rows.begin(), m_rows.end());
        m_rows.erase(std::unique(m_rows.begin(), m_rows.end()), m_rows.end());
        const size_t stride = size_t(image.width()) + 1;
        m_sum.assign(m_rows.size() * stride, 0.0);
        m_sqsum.assign(m_rows.size() * stride, 0.0);
        std::vector<double> sum(stride, 0.0), sqsum(stride, 0.0);
        size_t next = 0;
        for (int y = 0; y <= image.height() && next < m_rows.size(); ++y) {
            if (y > 0) {
                if (image.bitDepth() == 16)
                    addRow(image.mat().ptr<uint16_t>(y - 1), image.width(), sum, sqsum);
                else
                    addRow(image.mat().ptr<uint8_t>(y - 1), image.width(), sum, sqsum);
            }
            if (m_rows[next] == y) {
                std::copy(sum.begin(), sum.end(), m_sum.begin() + long(next * stride));
                std::copy(sqsum.begin(), sqsum.end(), m_sqsum.begin() + long(next * stride));
                ++next;
            }
        }
        m_stride = stride;
    }
    /// Sum and sum of squares of the box [x, x + w) × [y, y + h); y and y + h must be wanted rows.
    [[nodiscard]] std::pair<double, double> box(int x, int y, int w, int h) const
    {
        const size_t top = index(y) * m_stride, bottom = index(y + h) * m_stride;
        auto boxSum = [&](const std::vector<double>& m) {
            return m[bottom + size_t(x + w)] - m[top + size_t(x + w)] - m[bottom + size_t(x)] +
                   m[top + size_t(x)];
        };
        return {boxSum(m_sum), boxSum(m_sqsum)};
    }

private:
    template <typename Pixel>
    static void addRow(const Pixel* row, int width, std::vector<double>& sum, std::vector<double>& sqsum)
    {
        double s = 0, sq = 0;
        for (int x = 0; x < width; ++x) {
            const Pixel v = row[x];
            s += v;
            sq += double(v) * v;
            sum[size_t(x) + 1] = sum[size_t(x) + 1] + s;
            sqsum[size_t(x) + 1] = sqsum[size_t(x) + 1] + sq;
        }
    }
    [[nodiscard]] size_t index(int row) const
    {
        return size_t(std::lower_bound(m_rows.begin(), m_rows.end(), row) - m_rows.begin());
    }
    std::vector<int> m_rows;
    std::vector<double> m_sum, m_sqsum;
    size_t m_stride = 0;
};

} // namespace

int KeyRegionFinder::blockSide(int imageWidth, int imageHeight) const
{
    const int shorter = std::min(imageWidth, imageHeight);
    int side = static_cast<int>(std::lround(160.0 * shorter / 512.0 / 8.0)) * 8;
    side = std::max({side, 8, (m_minimumSide + 7) / 8 * 8});
    return side;
}

Result<std::vector<RegionCandidate>> KeyRegionFinder::candidates(const Image& image) const
{
    const int side = blockSide(image.width(), image.height());
    if (side > image.width() || side > image.height())
        return makeError(ErrorKind::BadInput, "the image (" + std::to_string(image.width()) + "×" +
                                                  std::to_string(image.height()) + ") is smaller than the " +
                                                  std::to_string(side) + "×" + std::to_string(side) +
                                                  " key region the QR code needs");
    const BodyMask body = BodyMask::compute(image);
    const int step = std::max(8, side / 4 / 8 * 8);
    std::vector<int> xs, ys;
    for (int x = 0; x + side <= image.width(); x += step)
        xs.push_back(x);
    if (xs.back() + side < image.width())
        xs.push_back(image.width() - side);
    for (int y = 0; y + side <= image.height(); y += step)
        ys.push_back(y);
    if (ys.back() + side < image.height())
        ys.push_back(image.height() - side);
    // Integral images give each block's sum and sum of squares in O(1); only the rows the blocks start and
    // end on are kept.
    std::vector<int> integralRows;
    for (int y : ys) {
        integralRows.push_back(y);
        integralRows.push_back(y + side);
    }
    const IntegralRows integral(image, integralRows);

    std::vector<RegionCandidate> all;
    const double n = double(side) * side;
    double bestFraction = 0;
    for (int y : ys) {
        for (int x : xs) {
            const auto [boxSum, boxSqsum] = integral.box(x, y, side, side);
            const double mean = boxSum / n;
            const double variance = std::max(0.0, boxSqsum / n - mean * mean);
            const double cv = mean > 0 ? std::sqrt(variance) / mean : -1.0; // μ = 0 never wins
            const double fraction = body.fraction(x, y, side, side);
            all.push_back({Rect{x, y, side, side}, cv, fraction});
            if (cv >= 0)
                bestFraction = std::max(bestFraction, fraction);
        }
    }
    const double eligible = 0.9 * bestFraction, offered = 0.25 * bestFraction;
    std::stable_sort(all.begin(), all.end(), [&](const RegionCandidate& a, const RegionCandidate& b) {
        const bool aOn = a.bodyFraction >= eligible, bOn = b.bodyFraction >= eligible;
        if (aOn != bOn)
            return aOn;
        if (!aOn && a.bodyFraction != b.bodyFraction)
            return a.bodyFraction > b.bodyFraction;
        return a.coefficientOfVariation > b.coefficientOfVariation;
    });
    all.erase(std::remove_if(all.begin(), all.end(),
                             [&](const RegionCandidate& c) { return c.bodyFraction < offered; }),
              all.end());
    std::vector<RegionCandidate> ranked;
    for (const auto& candidate : all) {
        if (candidate.coefficientOfVariation < 0)
            continue;
        const bool overlapsBetter = std::any_of(ranked.begin(), ranked.end(), [&](const RegionCandidate& r) {
            const int ix = std::max(0, std::min(r.rect.x + side, candidate.rect.x + side) -
                                           std::max(r.rect.x, candidate.rect.x));
            const int iy = std::max(0, std::min(r.rect.y + side, candidate.rect.y + side) -
                                           std::max(r.rect.y, candidate.rect.y));
            return long(ix) * iy * 2 > candidate.rect.area();
        });
        if (!overlapsBetter)
            ranked.push_back(candidate);
    }
    if (ranked.empty())
        return makeError(ErrorKind::BadInput,
                         "the image is completely black: there is no key region to protect");
    return ranked;
}

Status KeyRegionFinder::validate(const Rect& rect, const Image& image) const
{
    if (!rect.insideImage(image.width(), image.height()))
        return makeError(ErrorKind::BadInput, "the region " + rect.toString() + " is not inside the " +
                                                  std::to_string(image.width()) + "×" +
                                                  std::to_string(image.height()) + " image");
    if (rect.width < m_minimumSide || rect.height < m_minimumSide)
        return makeError(ErrorKind::BadInput, "the region " + rect.toString() + " is smaller than the " +
                                                  std::to_string(m_minimumSide) + "×" +
                                                  std::to_string(m_minimumSide) +
                                                  " pixels the QR code needs");
    return {};
}

} // namespace medveil
