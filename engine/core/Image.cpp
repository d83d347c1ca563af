// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/Image.h"

#include <algorithm>
#include <cstring>

namespace medveil {

Result<Image> Image::create(int width, int height, int bitDepth)
{
    if (width <= 0 || height <= 0)
        return makeError(ErrorKind::BadInput, "image size must be positive");
    if (bitDepth != 8 && bitDepth != 16)
        return makeError(ErrorKind::BadInput, "bit depth must be 8 or 16");
    return Image(cv::Mat::zeros(height, width, bitDepth == 16 ? CV_16UC1 : CV_8UC1));
}

Result<Image> Image::fromMat(cv::Mat mat)
{
    if (mat.empty())
        return makeError(ErrorKind::BadInput, "empty image");
    if (mat.type() != CV_8UC1 && mat.type() != CV_16UC1)
        return makeError(ErrorKind::BadInput, "only single-channel 8- or 16-bit grey images are supported");
    return Image(std::move(mat));
}

void Image::setSignificantBits(int bits)
{
    m_significantBits = bits >= bitDepth() ? 0 : std::max(1, bits);
}

std::vector<uint8_t> Image::pixelBytes() const
{
    std::vector<uint8_t> bytes;
    const size_t bpp = bitDepth() == 16 ? 2 : 1;
    bytes.resize(pixelCount() * bpp);
    size_t pos = 0;
    for (int y = 0; y < height(); ++y) {
        if (bpp == 1) {
            std::memcpy(bytes.data() + pos, m_mat.ptr<uint8_t>(y), static_cast<size_t>(width()));
            pos += static_cast<size_t>(width());
        } else {
            const auto* row = m_mat.ptr<uint16_t>(y);
            for (int x = 0; x < width(); ++x) {
                bytes[pos++] = static_cast<uint8_t>(row[x] & 0xff);
                bytes[pos++] = static_cast<uint8_t>(row[x] >> 8);
            }
        }
    }
    return bytes;
}

bool Image::identicalTo(const Image& other) const
{
    if (m_mat.size() != other.m_mat.size() || m_mat.type() != other.m_mat.type())
        return false;
    for (int y = 0; y < height(); ++y) {
        const size_t rowBytes = static_cast<size_t>(width()) * m_mat.elemSize();
        if (std::memcmp(m_mat.ptr(y), other.m_mat.ptr(y), rowBytes) != 0)
            return false;
    }
    return true;
}

} // namespace medveil
