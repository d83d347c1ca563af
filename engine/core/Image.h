// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/Result.h"

#include <opencv2/core.hpp>

#include <cstdint>

namespace medveil {

/// A single-channel grey image of 8 or 16 bits per pixel (CV_8UC1 or CV_16UC1 inside).
/// Pixel values are integers in [0, 2^bitDepth - 1]; the image owns or shares its cv::Mat
/// (copies are shallow like cv::Mat; use clone() for a deep copy).
class Image
{
public:
    Image() = default;

    /// A zero-filled image. bitDepth must be 8 or 16.
    static Result<Image> create(int width, int height, int bitDepth);
    /// Wraps an existing CV_8UC1 or CV_16UC1 matrix (shallow); anything else is BadInput.
    static Result<Image> fromMat(cv::Mat mat);

    [[nodiscard]] int width() const { return m_mat.cols; }
    [[nodiscard]] int height() const { return m_mat.rows; }
    [[nodiscard]] int bitDepth() const { return m_mat.depth() == CV_16U ? 16 : 8; }
    /// Largest representable value: 255 or 65535.
    [[nodiscard]] int maxValue() const { return (1 << bitDepth()) - 1; }
    /// Bits of each value that carry the signal: bitDepth() unless the source said fewer (a DICOM file's
    /// Bits Stored: a 12-bit CT held in 16-bit words). The figures that compare images (PSNR's peak,
    /// SSIM's dynamic range) take their range from it. Copies and clone() keep it; fromMat() does not.
    [[nodiscard]] int significantBits() const
    {
        return m_significantBits > 0 ? m_significantBits : bitDepth();
    }
    /// Records the source's significant bits, clamped to [1, bitDepth()].
    void setSignificantBits(int bits);
    [[nodiscard]] bool empty() const { return m_mat.empty(); }
    [[nodiscard]] size_t pixelCount() const { return m_mat.total(); }

    /// Value at column x, row y (no bounds check beyond cv::Mat's debug asserts).
    [[nodiscard]] int at(int x, int y) const
    {
        return bitDepth() == 16 ? m_mat.at<uint16_t>(y, x) : m_mat.at<uint8_t>(y, x);
    }
    void set(int x, int y, int value)
    {
        if (bitDepth() == 16)
            m_mat.at<uint16_t>(y, x) = static_cast<uint16_t>(value);
        else
            m_mat.at<uint8_t>(y, x) = static_cast<uint8_t>(value);
    }

    [[nodiscard]] const cv::Mat& mat() const { return m_mat; }
    [[nodiscard]] cv::Mat& mat() { return m_mat; }
    [[nodiscard]] Image clone() const
    {
        Image copy(m_mat.clone());
        copy.m_significantBits = m_significantBits;
        return copy;
    }

    /// Pixel bytes in row-major order, little-endian for 16-bit (used for hashing).
    [[nodiscard]] std::vector<uint8_t> pixelBytes() const;
    /// True when both images have the same size, depth and pixels.
    [[nodiscard]] bool identicalTo(const Image& other) const;

private:
    explicit Image(cv::Mat mat) : m_mat(std::move(mat)) {}
    cv::Mat m_mat;
    int m_significantBits = 0; ///< 0: all of bitDepth()
};

} // namespace medveil
