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

/// Whether the half-widths do not grow away from the centre row (an ellipse's do not): then the rows wider
/// than any given width form one band around the centre, which erodeRuns() relies on.
bool bandsAroundCentre(const std::vector<int>& halfWidths)
{
    const int r = int(halfWidths.size()) / 2;
    for (int i = 0; i < r; ++i)
        if (halfWidths[size_t(i)] > halfWidths[size_t(i) + 1])
            return false;
    for (int i = r; i + 1 < int(halfWidths.size()); ++i)
        if (halfWidths[size_t(i) + 1] > halfWidths[size_t(i)])
            return false;
    return true;
}

/// Erosion of the non-zero pixels of `mask` by the structuring element whose row dy (−r … r) is the run
/// [−halfWidths[dy + r], halfWidths[dy + r]] (a half-width < 0: an empty row; bandsAroundCentre() must
/// hold); outside the image counts as foreground, as cv::erode()'s default border. `invert`: of the zero
/// pixels instead (a dilation of the non-zero ones, complemented). 255 where the pixel survives, 0 elsewhere.
///
/// Linear in the pixels whatever the window's size (the window grows with the image: side / 40, 201 at
/// 8000², where ANDing every window row cost a third of protect's time). A pixel of source row y′ whose
/// foreground run reaches w pixels either side (its half-run) removes the output pixels of its column for
/// which some window row dy = y′ − y is wider than w; those rows form the band [lo(w), hi(w)] around the
/// centre, so it removes the outputs y′ − hi(w) … y′ − lo(w). One pass down the rows keeps, per column, the
/// furthest row reached downwards, one pass up the nearest row reached upwards.
cv::Mat erodeRuns(const cv::Mat& mask, const std::vector<int>& halfWidths, bool invert)
{
    const int rows = mask.rows, cols = mask.cols, r = int(halfWidths.size()) / 2;
    const int widest = std::max(0, *std::max_element(halfWidths.begin(), halfWidths.end()));
    // For a half-run w (−1: a background pixel … widest: no row is wider), at index w + 1: how far down
    // (−lo) and up (hi) its removal band reaches; an empty band reaches nowhere.
    constexpr int kNowhere = 1 << 29;
    std::vector<int> down(size_t(widest) + 2, -kNowhere), up(size_t(widest) + 2, -kNowhere);
    for (int w = -1; w <= widest; ++w)
        for (int i = 0; i < int(halfWidths.size()); ++i)
            if (halfWidths[size_t(i)] > w) {
                const int dy = i - r;
                down[size_t(w + 1)] = std::max(down[size_t(w + 1)], -dy);
                up[size_t(w + 1)] = std::max(up[size_t(w + 1)], dy);
            }
    // Row y's pixels mapped through `reachOf` by their half-run along the row (capped at widest; beyond the
    // row's ends counts as foreground), run by run: a background run is reachOf[0] throughout, a foreground
    // run [begin, end) depends on the distance to its nearer end only within widest + 1 of that end.
    std::vector<int> reachOfPixel(static_cast<size_t>(cols));
    auto mapHalfRuns = [&](int y, const std::vector<int>& reachOf) {
        const uint8_t* in = mask.ptr<uint8_t>(y);
        int* out = reachOfPixel.data();
        const int unbounded = widest + 1;
        for (int begin = 0; begin < cols;) {
            const bool foreground = (in[begin] != 0) != invert;
            int end = begin + 1;
            while (end < cols && ((in[end] != 0) != invert) == foreground)
                ++end;
            if (!foreground) {
                std::fill(out + begin, out + end, reachOf[0]);
                begin = end;
                continue;
            }
            const bool leftOpen = begin == 0, rightOpen = end == cols; // the row's ends do not bound it
            auto ramp = [&](int from, int to) {
                for (int x = from; x < to; ++x) {
                    const int toStart = leftOpen ? unbounded : x - begin + 1,
                              toEnd = rightOpen ? unbounded : end - x;
                    out[x] = reachOf[size_t(std::min({unbounded, toStart, toEnd}))]; // half-run + 1
                }
            };
            const int leftRamp = leftOpen ? begin : std::min(end, begin + unbounded);
            const int rightRamp = rightOpen ? end : std::max(leftRamp, end - unbounded);
            ramp(begin, leftRamp);
            std::fill(out + leftRamp, out + rightRamp, reachOf[size_t(unbounded)]);
            ramp(rightRamp, end);
            begin = end;
        }
    };
    cv::Mat out(rows, cols, CV_8U);
    std::vector<int> reach(static_cast<size_t>(cols), -kNowhere);
    for (int y = 0; y < rows; ++y) {
        mapHalfRuns(y, down);
        const int* d = reachOfPixel.data();
        int* furthest = reach.data();
        uint8_t* o = out.ptr<uint8_t>(y);
        for (int x = 0; x < cols; ++x) {
            furthest[x] = std::max(furthest[x], y + d[x]);
            o[x] = furthest[x] >= y ? 0 : 255;
        }
    }
    std::fill(reach.begin(), reach.end(), -kNowhere);
    for (int y = rows - 1; y >= 0; --y) {
        mapHalfRuns(y, up);
        const int* u = reachOfPixel.data();
        int* nearest =
            reach.data(); // −nearest: the nearest row at or above y that a row at or below y removes
        uint8_t* o = out.ptr<uint8_t>(y);
        for (int x = 0; x < cols; ++x) {
            nearest[x] = std::max(nearest[x], u[x] - y);
            o[x] = nearest[x] >= -y ? 0 : o[x];
        }
    }
    if (invert)
        for (int y = 0; y < rows; ++y) {
            uint8_t* o = out.ptr<uint8_t>(y);
            for (int x = 0; x < cols; ++x)
                o[x] = uint8_t(~o[x]);
        }
    return out;
}

} // namespace

cv::Mat BodyMask::openThenClose(const cv::Mat& mask, int side)
{
    const cv::Mat kernel = cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(side, side));
    // Each row of the ellipse as a centred run; anything else (not seen: getStructuringElement's rows are)
    // goes to OpenCV.
    std::vector<int> halfWidths(size_t(side), -1);
    bool runs = side % 2 == 1;
    const int centre = side / 2;
    for (int i = 0; i < side && runs; ++i) {
        const uint8_t* row = kernel.ptr<uint8_t>(i);
        int first = -1, last = -1, count = 0;
        for (int j = 0; j < side; ++j)
            if (row[j]) {
                first = first < 0 ? j : first;
                last = j;
                ++count;
            }
        if (count == 0)
            continue;
        runs = count == last - first + 1 && first + last == 2 * centre;
        halfWidths[size_t(i)] = centre - first;
    }
    if (!runs || !bandsAroundCentre(halfWidths)) {
        cv::Mat out;
        cv::morphologyEx(mask, out, cv::MORPH_OPEN, kernel);
        cv::morphologyEx(out, out, cv::MORPH_CLOSE, kernel);
        return out;
    }
    const cv::Mat opened = erodeRuns(erodeRuns(mask, halfWidths, false), halfWidths, true);
    return erodeRuns(erodeRuns(opened, halfWidths, true), halfWidths, false);
}

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
    body = keepBodyComponents(openThenClose(body, k));
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
