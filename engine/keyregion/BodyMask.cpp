// SPDX-License-Identifier: GPL-3.0-or-later
#include "keyregion/BodyMask.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

namespace medveil {

namespace {

/// The stored values mapped to 0..255 between the 0.5th and 99.5th percentiles.
cv::Mat robust8Bit(const Image& image)
{
    const cv::Mat& src = image.mat();
    const int levels = image.bitDepth() == 16 ? 65536 : 256;
    std::vector<size_t> histogram(size_t(levels), 0);
    for (int y = 0; y < src.rows; ++y) {
        if (image.bitDepth() == 16) {
            const uint16_t* row = src.ptr<uint16_t>(y);
            for (int x = 0; x < src.cols; ++x)
                ++histogram[row[x]];
        } else {
            const uint8_t* row = src.ptr<uint8_t>(y);
            for (int x = 0; x < src.cols; ++x)
                ++histogram[row[x]];
        }
    }
    const size_t total = src.total();
    auto percentile = [&](double p) {
        const size_t wanted = size_t(p * double(total));
        size_t seen = 0;
        for (int v = 0; v < levels; ++v) {
            seen += histogram[size_t(v)];
            if (seen > wanted)
                return v;
        }
        return levels - 1;
    };
    const double low = percentile(0.005), high = std::max(low + 1.0, double(percentile(0.995)));
    cv::Mat out;
    src.convertTo(out, CV_8U, 255.0 / (high - low), -low * 255.0 / (high - low)); // saturates
    return out;
}

/// Keeps the components of at least a twentieth of the largest one's area and fills their holes.
cv::Mat keepBodyComponents(const cv::Mat& binary)
{
    const cv::Mat kept = BodyMask::keepLargeComponents(binary);
    // Holes: whatever background the border cannot reach is inside the body.
    cv::Mat outside = cv::Mat::zeros(binary.rows + 2, binary.cols + 2, CV_8U);
    kept.copyTo(outside(cv::Rect(1, 1, binary.cols, binary.rows)));
    cv::floodFill(outside, cv::Point(0, 0), 128);
    cv::Mat filled = outside(cv::Rect(1, 1, binary.cols, binary.rows)) != 128;
    return filled;
}

} // namespace

BodyMask BodyMask::compute(const Image& image)
{
    BodyMask result;
    cv::Mat grey = robust8Bit(image);
    const int shorter = std::min(grey.cols, grey.rows);
    const double sigma = std::max(1.0, shorter / 256.0);
    cv::GaussianBlur(grey, grey, cv::Size(), sigma);
    cv::Mat ignored;
    const double otsu = cv::threshold(grey, ignored, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
    const double triangle = cv::threshold(grey, ignored, 0, 255, cv::THRESH_BINARY | cv::THRESH_TRIANGLE);
    const double level = std::min(otsu, triangle);
    cv::Mat bright = grey > level;
    // The border is mostly background: if it is mostly bright, the body is the dark side (MONOCHROME1,
    // white surroundings).
    const int band = std::max(1, shorter / 64);
    cv::Mat border = cv::Mat::ones(grey.size(), CV_8U) * 255;
    border(cv::Rect(band, band, grey.cols - 2 * band, grey.rows - 2 * band)).setTo(0);
    const double borderBright = cv::mean(bright, border)[0] / 255.0;
    // A bright border is either a bright background (MONOCHROME1, a white surround: flat) or anatomy
    // filling the frame (a CT crop: textured). Only the flat case swaps the sides.
    bool swap = false;
    if (borderBright > 0.9) {
        cv::Scalar brightMean, brightStd, darkMean, darkStd;
        cv::meanStdDev(grey, brightMean, brightStd, bright);
        cv::meanStdDev(grey, darkMean, darkStd, ~bright);
        swap = brightStd[0] * 2 < darkStd[0];
    }
    cv::Mat body = swap ? (grey <= level) : bright;
    // A real background is flat next to the anatomy (air, noise of a few grey levels); when the side
    // called background varies as much as the body, the frame is all content (a photograph, a micrograph).
    {
        cv::Scalar bodyMean, bodyStd, restMean, restStd;
        cv::meanStdDev(grey, bodyMean, bodyStd, body);
        cv::meanStdDev(grey, restMean, restStd, ~body);
        if (restStd[0] > 0.5 * bodyStd[0]) {
            result.m_mask = cv::Mat(grey.size(), CV_8U, cv::Scalar(255));
            cv::integral(result.m_mask / 255, result.m_integral, CV_32S);
            result.m_share = 1.0;
            return result;
        }
    }
    const int k = std::max(3, shorter / 40) | 1;
    const cv::Mat kernel = cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(k, k));
    cv::morphologyEx(body, body, cv::MORPH_OPEN, kernel);
    cv::morphologyEx(body, body, cv::MORPH_CLOSE, kernel);
    body = keepBodyComponents(body);
    // No background to speak of (under 3 % of the frame, or the "body" found is a sliver): all body.
    const double share = cv::countNonZero(body) / double(body.total());
    if (share > 0.97 || share < 0.02)
        body = cv::Mat(grey.size(), CV_8U, cv::Scalar(255));
    result.m_mask = body;
    cv::integral(body / 255, result.m_integral, CV_32S);
    result.m_share = cv::countNonZero(body) / double(body.total());
    return result;
}

cv::Mat BodyMask::keepLargeComponents(const cv::Mat& binary)
{
    const int rows = binary.rows, cols = binary.cols;
    std::vector<int32_t> labels(size_t(rows) * size_t(cols), 0);
    std::vector<int32_t> parent{0}; // label 0: background
    auto find = [&](int32_t a) {
        while (parent[size_t(a)] != a) {
            parent[size_t(a)] = parent[size_t(parent[size_t(a)])];
            a = parent[size_t(a)];
        }
        return a;
    };
    auto unite = [&](int32_t a, int32_t b) {
        a = find(a);
        b = find(b);
        if (a != b)
            parent[size_t(std::max(a, b))] = std::min(a, b);
    };
    // First pass (Wu et al.'s decision tree): a foreground pixel takes the label of an already visited
    // 8-neighbour — the one above first: the others touch it, so they are in its component already — and
    // merges only where two neighbours may not be (above-right with above-left or left); a new label when it
    // has none.
    for (int y = 0; y < rows; ++y) {
        const uint8_t* row = binary.ptr<uint8_t>(y);
        int32_t* current = labels.data() + size_t(y) * size_t(cols);
        const int32_t* above = y > 0 ? current - cols : nullptr;
        for (int x = 0; x < cols; ++x) {
            if (!row[x])
                continue;
            const int32_t up = above ? above[x] : 0;
            const int32_t upLeft = above && x > 0 ? above[x - 1] : 0;
            const int32_t upRight = above && x + 1 < cols ? above[x + 1] : 0;
            const int32_t left = x > 0 ? current[x - 1] : 0;
            int32_t label;
            if (up) {
                label = up;
            } else if (upRight) {
                label = upRight;
                if (upLeft)
                    unite(upRight, upLeft);
                else if (left)
                    unite(upRight, left);
            } else if (upLeft) {
                label = upLeft;
            } else if (left) {
                label = left;
            } else {
                label = static_cast<int32_t>(parent.size());
                parent.push_back(label);
            }
            current[x] = label;
        }
    }
    // Second pass: every pixel to its component's root, the components' areas.
    std::vector<int64_t> area(parent.size(), 0);
    for (int32_t& label : labels)
        if (label != 0) {
            label = find(label);
            ++area[size_t(label)];
        }
    const int64_t largest = area.size() > 1 ? *std::max_element(area.begin() + 1, area.end()) : 0;
    cv::Mat kept(binary.size(), CV_8U);
    for (int y = 0; y < rows; ++y) {
        uint8_t* out = kept.ptr<uint8_t>(y);
        const int32_t* row = labels.data() + size_t(y) * size_t(cols);
        for (int x = 0; x < cols; ++x)
            out[x] = row[x] != 0 && area[size_t(row[x])] * 20 >= largest ? 255 : 0;
    }
    return kept;
}

double BodyMask::fraction(int x, int y, int width, int height) const
{
    const int inside = m_integral.at<int>(y + height, x + width) - m_integral.at<int>(y, x + width) -
                       m_integral.at<int>(y + height, x) + m_integral.at<int>(y, x);
    return double(inside) / (double(width) * height);
}

} // namespace medveil
