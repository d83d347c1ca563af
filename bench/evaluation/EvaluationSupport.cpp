// SPDX-License-Identifier: GPL-3.0-or-later
#include "Evaluation.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <cmath>
#include <stdexcept>

namespace medveil::evaluation {

cv::Mat displayImage(const Image& image)
{
    if (image.bitDepth() == 8)
        return image.mat().clone();
    double low = 0, high = 0;
    cv::minMaxLoc(image.mat(), &low, &high);
    cv::Mat out;
    image.mat().convertTo(out, CV_8U, 255.0 / std::max(1.0, high));
    return out;
}

Image resizedTo(const Image& image, int side)
{
    if (image.width() == side && image.height() == side)
        return image.clone();
    cv::Mat resized;
    cv::resize(image.mat(), resized, cv::Size(side, side), 0, 0,
               side < image.width() ? cv::INTER_AREA : cv::INTER_CUBIC);
    return *Image::fromMat(resized);
}

void writeFigure(const std::filesystem::path& path, const cv::Mat& figure)
{
    // PNG compression level 9 keeps the committed figures small; the write is whole-file (OpenCV writes a
    // temporary buffer first), and a failure stops the evaluation loudly.
    if (!cv::imwrite(path.string(), figure, {cv::IMWRITE_PNG_COMPRESSION, 9}))
        throw std::runtime_error("cannot write " + path.string());
}

nlohmann::json finiteOrNull(double value)
{
    return std::isfinite(value) ? nlohmann::json(value) : nlohmann::json(nullptr);
}

} // namespace medveil::evaluation
