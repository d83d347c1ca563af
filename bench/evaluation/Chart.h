// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <opencv2/core.hpp>

#include <optional>
#include <string>
#include <vector>

/// Plots for docs/EVALUATION.md, drawn with OpenCV (no Python plotting stack needed): line charts with
/// ticks, grid, axis labels and a legend; overlaid histograms; adjacent-pixel scatter plots; captioned
/// image panels. Text is ASCII because OpenCV's Hershey fonts have no other glyphs.
namespace medveil::evaluation {

struct Series
{
    std::string name;
    std::vector<cv::Point2d> points;
    bool dashed = false;
};

struct Axis
{
    std::string label;
    std::optional<double> min; ///< nullopt: from the data, rounded out to a tick
    std::optional<double> max;
};

/// Series are coloured from a fixed palette, in order.
cv::Mat lineChart(const std::string& title, const Axis& x, const Axis& y, const std::vector<Series>& series,
                  cv::Size size = {760, 500});

/// One or more histograms (counts per bin, bins 0…n−1) drawn as translucent bars.
cv::Mat histogramChart(const std::string& title, const std::string& xLabel,
                       const std::vector<std::pair<std::string, std::vector<double>>>& histograms,
                       cv::Size size = {560, 380});

/// Pixel pairs (value, neighbour) in [0, range], one dot each, density by alpha.
cv::Mat scatterChart(const std::string& title, const std::string& xLabel, const std::string& yLabel,
                     const std::vector<cv::Point2i>& pairs, int range, cv::Size size = {380, 380});

/// Tiles side by side (grey or BGR, 8-bit), each with a caption above, on a white page.
cv::Mat captionedRow(const std::vector<std::pair<std::string, cv::Mat>>& tiles, int tileHeight = 0);

/// Rows stacked, left-aligned, padded with white.
cv::Mat stackRows(const std::vector<cv::Mat>& rows);

} // namespace medveil::evaluation
