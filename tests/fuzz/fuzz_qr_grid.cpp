// SPDX-License-Identifier: GPL-3.0-or-later
// Fuzz target: the QR reader on arbitrary module grids, clean and damaged (Debian's ZXing aborts on some
// noisy pure-mode input; MedVeil's grid check and the forked decoder must keep that from the process).
// Input: byte 0 picks the version, byte 1 the module size, the remaining bits are the modules.
#include "keyregion/QrCodec.h"

#include <cstddef>
#include <cstdint>

using namespace medveil;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size < 3)
        return 0;
    const int modules = 21 + 4 * (data[0] % 10);
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
