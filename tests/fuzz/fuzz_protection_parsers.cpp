// SPDX-License-Identifier: GPL-3.0-or-later
// Fuzz target over everything recover() parses before authentication: the QR text, the public PNG
// metadata, the (decrypted) protection record with its plan and texture map, and the QR reader on
// arbitrary module grids (Debian's ZXing aborts on some noisy pure-mode input; this must never reach it).
// Built as a libFuzzer target with clang (-fsanitize=fuzzer) or with FuzzDriver.cpp as a plain program.
#include "core/Bytes.h"
#include "crypto/Digest.h"
#include "keyregion/PredictionErrorExpander.h"
#include "keyregion/ProtectionRecord.h"
#include "keyregion/QrCodec.h"
#include "keyregion/TextureMap.h"

#include <cstddef>
#include <cstdint>
#include <string>

using namespace medveil;

namespace {

void fuzzQrGrid(const uint8_t* data, size_t size)
{
    if (size < 2)
        return;
    const int modules = 21 + 4 * (data[0] % 10);
    const int moduleSize = 1 + data[1] % 2;
    const int side = (modules + 8) * moduleSize;
    Image image = *Image::create(side + 6, side + 6, 8);
    QrSymbol symbol;
    symbol.modules = modules;
    symbol.dark.resize(size_t(modules) * modules);
    for (size_t i = 0; i < symbol.dark.size(); ++i)
        symbol.dark[i] = (data[2 + (i / 8) % (size - 2 > 0 ? size - 2 : 1)] >> (i % 8)) & 1;
    const QrGeometry g = QrCodec::render(symbol, moduleSize, 255, image, Rect{3, 3, side, side});
    (void)QrCodec::read(image, g);
    // Damaged variants: a stray grey pixel, a broken module, a wrong geometry.
    Image grey = image.clone();
    grey.set(3 + data[0] % side, 3 + data[1] % side, 128);
    (void)QrCodec::read(grey, g);
    QrGeometry wrong = g;
    wrong.modules = 17 + 4 * (data[size - 1] % 12);
    wrong.moduleSize = data[size - 1] % 4;
    (void)QrCodec::read(image, wrong);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size == 0)
        return 0;
    const Bytes bytes(data + 1, data + size);
    const std::string text(bytes.begin(), bytes.end());
    switch (data[0] % 7) {
    case 0:
        (void)QrCodec::parse(text);
        (void)QrCodec::parse("MEDVEIL 1\n" + text);
        break;
    case 1:
        (void)ProtectionRecord::deserialize(bytes);
        break;
    case 2:
        (void)PeePlan::deserialize(bytes);
        break;
    case 3:
        (void)TextureMap::deserialize(bytes);
        break;
    case 4: {
        std::map<std::string, std::string> meta{
            {PublicProtectionInfo::kFormatKey, PublicProtectionInfo::kFormatValue},
            {PublicProtectionInfo::kGeometryKey, text},
            {PublicProtectionInfo::kSideKey, text},
            {PublicProtectionInfo::kPixelsKey, text}};
        (void)PublicProtectionInfo::fromMetadata(meta);
        break;
    }
    case 5:
        (void)base45Decode(text);
        (void)base64Decode(text);
        break;
    default:
        fuzzQrGrid(bytes.data(), bytes.size());
    }
    return 0;
}

std::vector<Bytes> fuzzSeeds()
{
    std::vector<Bytes> out;
    auto tagged = [&](uint8_t tag, const Bytes& body) {
        Bytes b{tag};
        b.insert(b.end(), body.begin(), body.end());
        out.push_back(b);
    };
    const auto [bytePart, alnum] =
        QrCodec::textSegments(QrContent{{{"hospital", "Union"}}, sha256(toBytes("k"))});
    tagged(0, toBytes(bytePart + alnum));
    ProtectionRecord record;
    record.width = 64;
    record.height = 64;
    record.region = Rect{8, 8, 24, 24};
    record.texture = TextureMap::fromMse(std::vector<double>(64, 30), 64, 64, record.region, 10);
    record.plan.layers.push_back(PeeLayer{-2, 2, 16, 30, {3, 9}});
    record.payloadBytes = 2;
    record.originalSha256 = sha256(toBytes("x"));
    tagged(1, *record.serialize());
    tagged(2, record.plan.serialize());
    tagged(3, record.texture.serialize());
    tagged(4, toBytes("512x512;352,0,160,160;2,69,255"));
    tagged(5, toBytes("QED8WEX0"));
    tagged(6, sha256(toBytes("grid")));
    return out;
}
