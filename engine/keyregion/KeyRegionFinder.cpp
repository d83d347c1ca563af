// SPDX-License-Identifier: GPL-3.0-or-later
#include "keyregion/KeyRegionFinder.h"

#include "keyregion/BodyMask.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>

namespace medveil {

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
    // Integral images give each block's sum and sum of squares in O(1).
    cv::Mat sum, sqsum;
    cv::integral(image.mat(), sum, sqsum, CV_64F, CV_64F);
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

    std::vector<RegionCandidate> all;
    const double n = double(side) * side;
    double bestFraction = 0;
    for (int y : ys) {
        for (int x : xs) {
            auto boxSum = [&](const cv::Mat& m) {
                return m.at<double>(y + side, x + side) - m.at<double>(y, x + side) -
                       m.at<double>(y + side, x) + m.at<double>(y, x);
            };
            const double mean = boxSum(sum) / n;
            const double variance = std::max(0.0, boxSum(sqsum) / n - mean * mean);
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
