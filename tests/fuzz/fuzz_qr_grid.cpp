// SPDX-License-Identifier: GPL-3.0-or-later
// Fuzz target: the QR reader on arbitrary module grids, clean and damaged (Debian's ZXing aborts on some
// noisy pure-mode input; MedVeil's grid check and the forked decoder must keep that from the process). Odd
// first bytes draw exact function patterns over the random modules: those grids are decoded in process.
// Input: byte 0 picks the version, byte 1 the module size, the remaining bits are the modules.
#include "keyregion/QrCodec.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <utility>
#include <vector>

using namespace medveil;

namespace {

/// Draws every function pattern of an n×n symbol exactly (finders, separators, timing, alignment, format
/// information `format` of 0..31, dark module, version information): such a grid passes MedVeil's exact-grid
/// check and is decoded in process, so the fuzzer reaches ZXing's in-process decoder with arbitrary data
/// modules — what a forged symbol can do.
void drawFunctionPatterns(std::vector<uint8_t>& dark, int n, int format)
{
    auto set = [&](int x, int y, bool value) { dark[size_t(y) * size_t(n) + size_t(x)] = value; };
    for (const auto& [ox, oy] : {std::pair{0, 0}, std::pair{n - 7, 0}, std::pair{0, n - 7}})
        for (int y = -1; y <= 7; ++y)
            for (int x = -1; x <= 7; ++x)
                if (ox + x >= 0 && oy + y >= 0 && ox + x < n && oy + y < n) {
                    const int ring = std::max(std::abs(x - 3), std::abs(y - 3));
                    set(ox + x, oy + y, ring != 2 && ring <= 3);
                }
    for (int i = 8; i < n - 8; ++i) {
        set(i, 6, i % 2 == 0);
        set(6, i, i % 2 == 0);
    }
    const int version = (n - 17) / 4;
    if (version >= 2) {
        const int count = version / 7 + 2;
        const int step = version == 32 ? 26 : (version * 4 + count * 2 + 1) / (count * 2 - 2) * 2;
        std::vector<int> centres(size_t(count), 6);
        for (int i = count - 1, pos = version * 4 + 10; i >= 1; --i, pos -= step)
            centres[size_t(i)] = pos;
        for (int cy : centres)
            for (int cx : centres) {
                if ((cx == 6 && cy == 6) || (cx == 6 && cy == n - 7) || (cx == n - 7 && cy == 6))
                    continue;
                for (int dy = -2; dy <= 2; ++dy)
                    for (int dx = -2; dx <= 2; ++dx)
                        set(cx + dx, cy + dy, std::max(std::abs(dx), std::abs(dy)) != 1);
            }
    }
    int rem = format;
    for (int i = 0; i < 10; ++i)
        rem = (rem << 1) ^ ((rem >> 9) * 0x537);
    const int bits = ((format << 10) | rem) ^ 0x5412;
    auto bit = [&](int i) { return ((bits >> i) & 1) != 0; };
    for (int i = 0; i <= 5; ++i)
        set(8, i, bit(i));
    set(8, 7, bit(6));
    set(8, 8, bit(7));
    set(7, 8, bit(8));
    for (int i = 9; i < 15; ++i)
        set(14 - i, 8, bit(i));
    for (int i = 0; i < 8; ++i)
        set(n - 1 - i, 8, bit(i));
    for (int i = 8; i < 15; ++i)
        set(8, n - 15 + i, bit(i));
    set(8, n - 8, true);
    if (version >= 7) {
        int vrem = version;
        for (int i = 0; i < 12; ++i)
            vrem = (vrem << 1) ^ ((vrem >> 11) * 0x1F25);
        const int vbits = (version << 12) | vrem;
        for (int i = 0; i < 18; ++i) {
            const bool b = ((vbits >> i) & 1) != 0;
            set(n - 11 + i % 3, i / 3, b);
            set(i / 3, n - 11 + i % 3, b);
        }
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size < 3)
        return 0;
    // Versions 1–10 and (every other input) 7, 11, 15 … 39; odd inputs get exact function patterns.
    const int modules = data[0] & 2 ? 45 + 16 * ((data[0] >> 2) % 9) : 21 + 4 * ((data[0] >> 2) % 10);
    const int moduleSize = 1 + data[1] % 2;
    const int side = (modules + 8) * moduleSize;
    auto canvas = Image::create(side + 6, side + 6, 8);
    if (!canvas)
        return 0;
    Image image = std::move(*canvas);
    const uint8_t* bits = data + 2;
    const size_t bitBytes = size - 2;
    QrSymbol symbol;
    symbol.modules = modules;
    symbol.dark.resize(size_t(modules) * modules);
    for (size_t i = 0; i < symbol.dark.size(); ++i)
        symbol.dark[i] = (bits[(i / 8) % bitBytes] >> (i % 8)) & 1;
    if (data[0] & 1)
        drawFunctionPatterns(symbol.dark, modules, data[1] >> 3);
    const QrGeometry g = QrCodec::render(symbol, moduleSize, 255, image, Rect{3, 3, side, side});
    (void)QrCodec::read(image, g);
    // Damaged variants: a stray grey pixel, a wrong geometry.
    Image grey = image.clone();
    grey.set(3 + data[0] % side, 3 + data[1] % side, 128);
    (void)QrCodec::read(grey, g);
    QrGeometry wrong = g;
    wrong.modules = 17 + 4 * (data[size - 1] % 12);
    wrong.moduleSize = data[size - 1] % 4;
    (void)QrCodec::read(image, wrong);
    return 0;
}
