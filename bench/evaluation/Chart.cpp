// SPDX-License-Identifier: GPL-3.0-or-later
#include "Chart.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <limits>

namespace medveil::evaluation {

namespace {

const cv::Scalar kBlack(0, 0, 0), kWhite(255, 255, 255), kGrid(225, 225, 225), kAxis(60, 60, 60);
constexpr int kFont = cv::FONT_HERSHEY_SIMPLEX;

cv::Scalar paletteColor(size_t i)
{
    // Colour-blind-safe (Okabe–Ito), BGR.
    static const cv::Scalar colors[] = {{178, 114, 0},  {0, 94, 213},   {115, 158, 0}, {167, 121, 204},
                                        {233, 180, 86}, {66, 228, 240}, {0, 159, 230}, {0, 0, 0}};
    return colors[i % (sizeof colors / sizeof colors[0])];
}

void text(cv::Mat& img, const std::string& s, cv::Point at, double scale = 0.5, int thickness = 1,
          const cv::Scalar& color = kBlack)
{
    cv::putText(img, s, at, kFont, scale, color, thickness, cv::LINE_AA);
}

cv::Size textSize(const std::string& s, double scale = 0.5, int thickness = 1)
{
    int baseline = 0;
    return cv::getTextSize(s, kFont, scale, thickness, &baseline);
}

void centredText(cv::Mat& img, const std::string& s, int cx, int baselineY, double scale = 0.5,
                 int thickness = 1)
{
    text(img, s, {cx - textSize(s, scale, thickness).width / 2, baselineY}, scale, thickness);
}

/// Text rotated 90° counter-clockwise, centred on (cx, cy): for y-axis labels.
void verticalText(cv::Mat& img, const std::string& s, int cx, int cy, double scale = 0.5)
{
    const cv::Size size = textSize(s, scale);
    cv::Mat strip(size.height + 8, size.width + 4, CV_8UC3, kWhite);
    text(strip, s, {2, size.height + 2}, scale);
    cv::Mat rotated;
    cv::rotate(strip, rotated, cv::ROTATE_90_COUNTERCLOCKWISE);
    const cv::Rect target(cx - rotated.cols / 2, cy - rotated.rows / 2, rotated.cols, rotated.rows);
    const cv::Rect clipped = target & cv::Rect(0, 0, img.cols, img.rows);
    rotated(cv::Rect(clipped.x - target.x, clipped.y - target.y, clipped.width, clipped.height))
        .copyTo(img(clipped));
}

/// "Nice" tick step (1, 2 or 5 × 10^k) giving about `count` intervals over span.
double niceStep(double span, int count)
{
    const double raw = span / std::max(1, count);
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
        if (raw <= m * magnitude)
            return m * magnitude;
    return 10 * magnitude;
}

std::string tickLabel(double v, double step)
{
    char buffer[32];
    const int decimals = step >= 1 ? 0 : std::min(4, int(std::ceil(-std::log10(step) - 1e-9)));
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals, std::abs(v) < step * 1e-6 ? 0.0 : v);
    return buffer;
}

/// The plotting area of a chart: data → pixel mapping, axes, ticks, grid.
struct Frame
{
    cv::Rect area;
    double x0, x1, y0, y1, xStep, yStep;

    [[nodiscard]] cv::Point2d map(double x, double y) const
    {
        return {area.x + (x - x0) / (x1 - x0) * area.width,
                area.y + area.height - (y - y0) / (y1 - y0) * area.height};
    }

    static void range(double lo, double hi, const Axis& axis, double& from, double& to, double& step)
    {
        if (axis.min)
            lo = *axis.min;
        if (axis.max)
            hi = *axis.max;
        if (!(hi > lo)) {
            lo -= 0.5;
            hi += 0.5;
        }
        step = niceStep(hi - lo, 6);
        from = axis.min ? *axis.min : std::floor(lo / step) * step;
        to = axis.max ? *axis.max : std::ceil(hi / step) * step;
    }

    void draw(cv::Mat& img, const std::string& title, const Axis& x, const Axis& y) const
    {
        for (double v = std::ceil(x0 / xStep - 1e-9) * xStep; v <= x1 + xStep * 1e-6; v += xStep) {
            const int px = int(std::lround(map(v, y0).x));
            cv::line(img, {px, area.y}, {px, area.y + area.height}, kGrid, 1);
            cv::line(img, {px, area.y + area.height}, {px, area.y + area.height + 5}, kAxis, 1);
            centredText(img, tickLabel(v, xStep), px, area.y + area.height + 22, 0.45);
        }
        for (double v = std::ceil(y0 / yStep - 1e-9) * yStep; v <= y1 + yStep * 1e-6; v += yStep) {
            const int py = int(std::lround(map(x0, v).y));
            cv::line(img, {area.x, py}, {area.x + area.width, py}, kGrid, 1);
            cv::line(img, {area.x - 5, py}, {area.x, py}, kAxis, 1);
            const std::string label = tickLabel(v, yStep);
            text(img, label, {area.x - 9 - textSize(label, 0.45).width, py + 5}, 0.45);
        }
        cv::rectangle(img, area, kAxis, 1);
        centredText(img, title, area.x + area.width / 2, 26, 0.6, 1);
        centredText(img, x.label, area.x + area.width / 2, area.y + area.height + 48, 0.5);
        verticalText(img, y.label, 16, area.y + area.height / 2, 0.5);
    }
};

void legend(cv::Mat& img, const Frame& frame, const std::vector<std::string>& names, bool lines)
{
    int width = 0;
    for (const auto& n : names)
        width = std::max(width, textSize(n, 0.45).width);
    const int rowH = 20, boxW = width + (lines ? 44 : 30), boxH = int(names.size()) * rowH + 8;
    const cv::Rect box(frame.area.x + frame.area.width - boxW - 8,
                       frame.area.y + frame.area.height - boxH - 8, boxW, boxH);
    cv::rectangle(img, box, kWhite, cv::FILLED);
    cv::rectangle(img, box, kAxis, 1);
    for (size_t i = 0; i < names.size(); ++i) {
        const int cy = box.y + 4 + int(i) * rowH + rowH / 2;
        if (lines)
            cv::line(img, {box.x + 6, cy}, {box.x + 32, cy}, paletteColor(i), 2, cv::LINE_AA);
        else
            cv::rectangle(img, cv::Rect(box.x + 6, cy - 6, 14, 12), paletteColor(i), cv::FILLED);
        text(img, names[i], {box.x + (lines ? 38 : 26), cy + 5}, 0.45);
    }
}

void dashedLine(cv::Mat& img, cv::Point2d a, cv::Point2d b, const cv::Scalar& color)
{
    const double length = cv::norm(b - a);
    const int dashes = std::max(1, int(length / 8));
    for (int i = 0; i < dashes; i += 2) {
        const cv::Point2d p = a + (b - a) * (double(i) / dashes), q = a + (b - a) * (double(i + 1) / dashes);
        cv::line(img, p, q, color, 2, cv::LINE_AA);
    }
}

} // namespace

cv::Mat lineChart(const std::string& title, const Axis& x, const Axis& y, const std::vector<Series>& series,
                  cv::Size size)
{
    cv::Mat img(size, CV_8UC3, kWhite);
    double xl = std::numeric_limits<double>::max(), xh = -xl, yl = xl, yh = -xl;
    for (const auto& s : series)
        for (const auto& p : s.points)
            if (std::isfinite(p.y)) {
                xl = std::min(xl, p.x), xh = std::max(xh, p.x);
                yl = std::min(yl, p.y), yh = std::max(yh, p.y);
            }
    if (xl > xh)
        xl = 0, xh = 1, yl = 0, yh = 1;
    Frame f{cv::Rect(78, 44, size.width - 100, size.height - 110), 0, 0, 0, 0, 0, 0};
    Frame::range(xl, xh, x, f.x0, f.x1, f.xStep);
    Frame::range(yl, yh, y, f.y0, f.y1, f.yStep);
    f.draw(img, title, x, y);
    cv::Mat plot = img(f.area);
    std::vector<std::string> names;
    for (size_t i = 0; i < series.size(); ++i) {
        const auto& s = series[i];
        names.push_back(s.name);
        std::vector<cv::Point2d> pts;
        for (const auto& p : s.points)
            if (std::isfinite(p.y))
                pts.push_back(f.map(p.x, p.y) - cv::Point2d(f.area.x, f.area.y));
        for (size_t k = 1; k < pts.size(); ++k) {
            if (s.dashed)
                dashedLine(plot, pts[k - 1], pts[k], paletteColor(i));
            else
                cv::line(plot, pts[k - 1], pts[k], paletteColor(i), 2, cv::LINE_AA);
        }
        for (const auto& p : pts)
            cv::circle(plot, p, 3, paletteColor(i), cv::FILLED, cv::LINE_AA);
    }
    legend(img, f, names, true);
    return img;
}

cv::Mat histogramChart(const std::string& title, const std::string& xLabel,
                       const std::vector<std::pair<std::string, std::vector<double>>>& histograms,
                       cv::Size size)
{
    cv::Mat img(size, CV_8UC3, kWhite);
    size_t bins = 1;
    std::vector<double> all;
    for (const auto& h : histograms) {
        bins = std::max(bins, h.second.size());
        all.insert(all.end(), h.second.begin(), h.second.end());
    }
    // A medical slice's black background puts most pixels in bin 0; clip such a spike so the rest of the
    // histogram stays readable, and say so on the chart.
    std::sort(all.begin(), all.end(), std::greater<>());
    double top = all.empty() ? 1 : std::max(1.0, all[0]);
    bool clipped = false;
    if (all.size() > 1 && all[0] > 4 * all[1]) {
        top = all[1] * 1.3;
        clipped = true;
    }
    Frame f{cv::Rect(78, 44, size.width - 100, size.height - 110), 0, 0, 0, 0, 0, 0};
    Frame::range(0, double(bins), Axis{xLabel, 0.0, double(bins)}, f.x0, f.x1, f.xStep);
    Frame::range(0, top, Axis{"pixels", 0.0, std::nullopt}, f.y0, f.y1, f.yStep);
    f.draw(img, title, Axis{xLabel, {}, {}}, Axis{"pixels", {}, {}});
    std::vector<std::string> names;
    std::string note;
    for (size_t i = 0; i < histograms.size(); ++i) {
        names.push_back(histograms[i].first);
        cv::Mat layer = img.clone();
        const auto& h = histograms[i].second;
        for (size_t b = 0; b < h.size(); ++b) {
            if (clipped && h[b] > top)
                note =
                    "bin " + std::to_string(b) + ": " + std::to_string(int64_t(h[b])) + " pixels (clipped)";
            const cv::Point2d a = f.map(double(b), 0), c = f.map(double(b + 1), std::min(h[b], top));
            cv::rectangle(layer, cv::Point(int(a.x), int(a.y)),
                          cv::Point(std::max(int(a.x), int(c.x) - 1), int(c.y)), paletteColor(i), cv::FILLED);
        }
        cv::addWeighted(layer, 0.75, img, 0.25, 0, img);
    }
    cv::rectangle(img, f.area, kAxis, 1);
    if (!note.empty())
        text(img, note, {f.area.x + 10, f.area.y + 20}, 0.45);
    legend(img, f, names, false);
    return img;
}

cv::Mat scatterChart(const std::string& title, const std::string& xLabel, const std::string& yLabel,
                     const std::vector<cv::Point2i>& pairs, int range, cv::Size size)
{
    cv::Mat img(size, CV_8UC3, kWhite);
    Frame f{cv::Rect(70, 44, size.width - 90, size.height - 110), 0, 0, 0, 0, 0, 0};
    Frame::range(0, range, Axis{xLabel, 0.0, double(range)}, f.x0, f.x1, f.xStep);
    Frame::range(0, range, Axis{yLabel, 0.0, double(range)}, f.y0, f.y1, f.yStep);
    f.xStep = f.yStep = niceStep(range, 4);
    f.draw(img, title, Axis{xLabel, {}, {}}, Axis{yLabel, {}, {}});
    // Density: each pair darkens its pixel; 1-pixel dots, so 65,536 pairs stay legible.
    cv::Mat density(f.area.size(), CV_32F, cv::Scalar(0));
    for (const auto& p : pairs) {
        const cv::Point2d q = f.map(p.x, p.y) - cv::Point2d(f.area.x, f.area.y);
        const int px = std::clamp(int(q.x), 0, density.cols - 1),
                  py = std::clamp(int(q.y), 0, density.rows - 1);
        density.at<float>(py, px) += 1;
    }
    const cv::Scalar c = paletteColor(0);
    for (int yy = 0; yy < density.rows; ++yy)
        for (int xx = 0; xx < density.cols; ++xx) {
            const float d = density.at<float>(yy, xx);
            if (d <= 0)
                continue;
            const double alpha = std::min(1.0, 0.6 + 0.15 * std::log1p(d));
            auto& px = img.at<cv::Vec3b>(f.area.y + yy, f.area.x + xx);
            for (int k = 0; k < 3; ++k)
                px[k] = cv::saturate_cast<uchar>(px[k] * (1 - alpha) + c[k] * alpha);
        }
    cv::rectangle(img, f.area, kAxis, 1);
    return img;
}

cv::Mat captionedRow(const std::vector<std::pair<std::string, cv::Mat>>& tiles, int tileHeight)
{
    std::vector<cv::Mat> parts;
    for (const auto& [caption, tile] : tiles) {
        cv::Mat bgr;
        if (tile.channels() == 1)
            cv::cvtColor(tile, bgr, cv::COLOR_GRAY2BGR);
        else
            bgr = tile.clone();
        if (tileHeight > 0 && bgr.rows != tileHeight)
            cv::resize(bgr, bgr, cv::Size(std::max(1, bgr.cols * tileHeight / bgr.rows), tileHeight), 0, 0,
                       bgr.rows < tileHeight ? cv::INTER_NEAREST : cv::INTER_AREA);
        const int width = std::max(bgr.cols, textSize(caption).width + 8);
        cv::Mat cell(bgr.rows + 32, width + 8, CV_8UC3, kWhite);
        bgr.copyTo(cell(cv::Rect(4 + (width - bgr.cols) / 2, 28, bgr.cols, bgr.rows)));
        text(cell, caption, {4 + (width - textSize(caption).width) / 2, 20});
        parts.push_back(cell);
    }
    if (parts.empty())
        return {};
    int height = 0;
    for (const auto& p : parts)
        height = std::max(height, p.rows);
    for (auto& p : parts)
        if (p.rows < height)
            cv::copyMakeBorder(p, p, 0, height - p.rows, 0, 0, cv::BORDER_CONSTANT, kWhite);
    cv::Mat row;
    cv::hconcat(parts, row);
    return row;
}

cv::Mat stackRows(const std::vector<cv::Mat>& rows)
{
    if (rows.empty())
        return {};
    int width = 0;
    for (const auto& r : rows)
        width = std::max(width, r.cols);
    std::vector<cv::Mat> padded;
    for (const auto& r : rows) {
        cv::Mat p;
        cv::copyMakeBorder(r, p, 0, 0, 0, width - r.cols, cv::BORDER_CONSTANT, kWhite);
        padded.push_back(p);
    }
    cv::Mat out;
    cv::vconcat(padded, out);
    return out;
}

} // namespace medveil::evaluation
