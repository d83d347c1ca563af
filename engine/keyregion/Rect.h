// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <string>

namespace medveil {

/// Axis-aligned pixel rectangle: columns [x, x + width), rows [y, y + height).
struct Rect
{
    int x = 0;
    int y = 0;
    int width = 0;
    int height = 0;

    // Edges in 64 bits: a rectangle read from a file or typed by a user can have x + width past INT_MAX.
    [[nodiscard]] int64_t right() const { return int64_t(x) + width; }
    [[nodiscard]] int64_t bottom() const { return int64_t(y) + height; }

    [[nodiscard]] bool contains(int px, int py) const
    {
        return px >= x && py >= y && px < right() && py < bottom();
    }
    [[nodiscard]] bool intersects(const Rect& o) const
    {
        return x < o.right() && o.x < right() && y < o.bottom() && o.y < bottom();
    }
    [[nodiscard]] bool insideImage(int imageWidth, int imageHeight) const
    {
        return x >= 0 && y >= 0 && width > 0 && height > 0 && right() <= imageWidth &&
               bottom() <= imageHeight;
    }
    [[nodiscard]] long area() const { return long(width) * height; }
    [[nodiscard]] std::string toString() const
    {
        return std::to_string(x) + "," + std::to_string(y) + "," + std::to_string(width) + "," +
               std::to_string(height);
    }
    bool operator==(const Rect&) const = default;
};

} // namespace medveil
