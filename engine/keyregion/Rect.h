// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>

namespace medveil {

/// Axis-aligned pixel rectangle: columns [x, x + width), rows [y, y + height).
struct Rect
{
    int x = 0;
    int y = 0;
    int width = 0;
    int height = 0;

    [[nodiscard]] bool contains(int px, int py) const
    {
        return px >= x && py >= y && px < x + width && py < y + height;
    }
    [[nodiscard]] bool intersects(const Rect& o) const
    {
        return x < o.x + o.width && o.x < x + width && y < o.y + o.height && o.y < y + height;
    }
    [[nodiscard]] bool insideImage(int imageWidth, int imageHeight) const
    {
        return x >= 0 && y >= 0 && width > 0 && height > 0 && x + width <= imageWidth &&
               y + height <= imageHeight;
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
