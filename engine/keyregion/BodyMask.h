// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/Image.h"

#include <opencv2/core.hpp>

namespace medveil {

/// Where the body (the anatomy) is in a medical image: a binary foreground mask made with OpenCV, so that
/// the automatic key region lands on anatomy instead of air or background noise.
///
/// The stored values are mapped to 8 bits between their 0.5th and 99.5th percentiles (8- and 16-bit data,
/// outliers ignored), smoothed, and thresholded at the lower of Otsu's and the triangle threshold (a
/// dominant background peak pulls the triangle threshold low, so dim tissue stays in). The dark side is
/// background unless the border is bright and that bright side is flat (MONOCHROME1 data, a white
/// surround); anatomy filling the frame (a CT crop) keeps its bright side as body. A
/// morphological opening removes noise specks and thin structures (a CT table), a closing joins tissue,
/// components smaller than a twentieth of the largest are dropped and holes are filled — lungs, ventricles
/// and sinuses are inside the body even though they are dark. An image with no separable background (a
/// photograph filling the frame) is all body.
class BodyMask
{
public:
    static BodyMask compute(const Image& image);

    /// 255 inside the body, 0 outside; the image's size.
    [[nodiscard]] const cv::Mat& mask() const { return m_mask; }
    /// Share of the image inside the body.
    [[nodiscard]] double bodyShare() const { return m_share; }
    /// Share of the rectangle x, y, w, h inside the body (O(1), from an integral image).
    [[nodiscard]] double fraction(int x, int y, int width, int height) const;

    /// 255 on the 8-connected components of `binary` (CV_8U, non-zero = foreground) whose area is at least a
    /// twentieth of the largest one's, 0 elsewhere: the mask connectedComponentsWithStats() gives, made by
    /// one sequential union-find labelling (OpenCV's labelling runs on its thread pool, which costs more
    /// than it saves where another job holds the other core).
    static cv::Mat keepLargeComponents(const cv::Mat& binary);

    /// A morphological opening, then a closing, of a 0/255 mask (CV_8U) by the elliptic structuring element
    /// of `side` × `side` pixels: what cv::morphologyEx() gives (image borders ignored), computed from each
    /// row's distances to its nearest background pixel — the ellipse is a centred run per row, so a pixel
    /// survives an erosion when every row of its window has no background within that row's half-width.
    static cv::Mat openThenClose(const cv::Mat& mask, int side);

private:
    cv::Mat m_mask;
    cv::Mat m_integral; ///< CV_32S integral of mask / 255
    double m_share = 0;
};

} // namespace medveil
