// SPDX-License-Identifier: GPL-3.0-or-later
// Writes the seed corpus of every fuzz target into OUT_DIR/<target>/: real MedVeil structures (what
// protect and emr-seal write, every format version) and real files (crops of tests/data/corpus, small
// DICOM files of Debian's python3-pydicom). Each input is a few KB at most, so that the fuzzers mutate
// structure rather than pixels. Usage: fuzz_make_corpus OUT_DIR (e.g. tests/fuzz/corpus).
#include "core/Bytes.h"
#include "crypto/Digest.h"
#include "emr/SealedEmrParameters.h"
#include "io/AtomicFile.h"
#include "io/DicomFile.h"
#include "io/ImageIo.h"
#include "keyregion/ProtectionRecord.h"
#include "keyregion/QrCodec.h"

#include <opencv2/imgcodecs.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <zstd.h>

using namespace medveil;
namespace fs = std::filesystem;

namespace {

fs::path outDir;
int failures = 0;

void write(const std::string& target, const std::string& name, const Bytes& bytes)
{
    const fs::path dir = outDir / target;
    fs::create_directories(dir);
    std::ofstream out(dir / name, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
    std::printf("%s/%s: %zu bytes\n", target.c_str(), name.c_str(), bytes.size());
}

template <typename T> bool check(const Result<T>& result, const char* what)
{
    if (!result) {
        std::fprintf(stderr, "%s: %s\n", what, result.error().message.c_str());
        ++failures;
    }
    return result.ok();
}

/// The uncompressed form of a serialised record (what fuzz_protection_record takes).
Bytes rawRecord(const Bytes& frame)
{
    Bytes raw(ZSTD_getFrameContentSize(frame.data(), frame.size()));
    raw.resize(ZSTD_decompress(raw.data(), raw.size(), frame.data(), frame.size()));
    return raw;
}

Image corpusCrop(const char* name, int side)
{
    auto image = readImage(std::string(MEDVEIL_TEST_DATA) + "/corpus/" + name);
    if (!check(image, name))
        return {};
    const int x = (image->width() - side) / 2, y = (image->height() - side) / 2;
    return *Image::fromMat(image->mat()(cv::Rect(x, y, side, side)).clone());
}

void protectionSeeds()
{
    const Image mri = corpusCrop("mri_colin_axial_z90_native.png", 64);
    ProtectionRecord record;
    record.width = 64;
    record.height = 64;
    record.bitDepth = 8;
    record.region = Rect{16, 8, 32, 32};
    record.threshold = 20;
    record.texture = TextureMap::compute(mri, record.region, record.threshold);
    record.plan.layers.push_back(PeeLayer{-2, 2, 96, 310, {3, 9, 40}});
    record.plan.layers.push_back(PeeLayer{-5, 4, 32, 120, {}});
    record.payloadBytes = 16;
    record.originalSha256 = sha256(mri.pixelBytes());
    record.blockDigests = Bytes(2 * 64, 0x5a);
    if (auto frame = record.serialize(); check(frame, "record"))
        write("protection_record", "v2-png", rawRecord(*frame));
    record.headerDigest = sha256(toBytes("a DICOM header"));
    record.scrambling = 1;
    record.extraRegions = {Rect{0, 48, 8, 8}, Rect{48, 48, 16, 8}};
    if (auto frame = record.serialize(); check(frame, "record")) {
        write("protection_record", "v2-dicom-permuted-regions", rawRecord(*frame));
        // Version 1: the same fields up to the original's digest (no header, scrambling, digests, regions).
        ProtectionRecord v1 = record;
        v1.headerDigest.clear();
        v1.blockDigests.clear();
        v1.extraRegions.clear();
        v1.scrambling = 0;
        Bytes raw = rawRecord(*v1.serialize());
        raw.resize(raw.size() - 4 - 1 - 4 - 4); // header blob, scrambling, digest blob, region count
        raw[0] = 1;
        write("protection_record", "v1", raw);
    }
    write("pee_plan", "two-layers", record.plan.serialize());
    PeePlan wide;
    for (int pass = 0; pass < 3; ++pass)
        wide.layers.push_back(
            PeeLayer{-2 - 10 * pass, 2 + 10 * pass, 1000u * (pass + 1), 5000, {7, 8, 100000}});
    write("pee_plan", "six-layers", wide.serialize());
    write("pee_plan", "empty", PeePlan{}.serialize());

    const QrContent content{{{"hospital", "Union"}, {"dept", "radiology"}}, Bytes(256, 0xa7)};
    const auto [bytePart, alnum] = QrCodec::textSegments(content);
    write("qr_text", "medveil", toBytes(bytePart + alnum));
    const auto [bytePart2, alnum2] = QrCodec::textSegments(QrContent{{}, sha256(toBytes("k"))});
    write("qr_text", "no-info", toBytes(bytePart2 + alnum2));
    write("qr_text", "base64", toBytes(base64Encode(sha256(toBytes("x")))));
    if (auto symbol = QrCodec::encode(QrContent{{{"a", "b"}}, Bytes(64, 1)}, 160); check(symbol, "qr")) {
        Bytes grid{uint8_t((symbol->first.modules - 21) / 4), 1};
        Bytes bits((symbol->first.dark.size() + 7) / 8, 0);
        for (size_t i = 0; i < symbol->first.dark.size(); ++i)
            bits[i / 8] |= uint8_t((symbol->first.dark[i] & 1) << (i % 8));
        grid.insert(grid.end(), bits.begin(), bits.end());
        write("qr_grid", "symbol", grid);
    }
    write("qr_grid", "hash", sha256(toBytes("grid")));

    PublicProtectionInfo info;
    info.width = 64;
    info.height = 64;
    info.geometry = QrGeometry{Rect{16, 8, 32, 32}, 1, 29, 255};
    info.sealedRecord = Bytes(120, 0x3c);
    info.pixelsSha256Hex = hexEncode(sha256(mri.pixelBytes()));
    const Image small = corpusCrop("mri_colin_axial_z90_native.png", 8);
    if (auto png = encodePng(small, info.toMetadata()); check(png, "png"))
        write("png_metadata", "protected", *png);
    if (auto png = encodePng(small, {{"Comment", "plain"}}); check(png, "png"))
        write("png_metadata", "comment", *png);
}

void emrParameterSeeds()
{
    SealedEmrParameters p;
    p.version = 1;
    p.base = 4;
    p.bitDepth = 8;
    p.scale = 255;
    auto put = [&](const std::string& name) {
        if (auto bytes = p.serialize(); check(bytes, name.c_str()))
            write("sealed_emr_parameters", name, *bytes);
    };
    put("v1");
    p.version = 2;
    p.bitDepth = 16;
    p.scale = 4095;
    p.offset = 1024;
    put("v2-16bit");
    p.version = 3;
    p.exactRecovery = true;
    p.hasIdentity = true;
    p.originalSha256 = sha256(toBytes("original"));
    put("v3-exact-identity");
    p.version = 4;
    p.headerDigest = sha256(toBytes("header"));
    put("v4-dicom");
    p.version = 5;
    p.base = 2;
    p.weightsDigest = sha256(toBytes("weights"));
    put("v5-weights");
    p.version = 6;
    p.layout = HiNetLayout::ChannelsLast;
    put("v6-channels-last");
    p.headerDigest.clear();
    p.base = 16;
    p.exactRecovery = false;
    put("v6-png-network");
}

void imageSeeds()
{
    const Image grey8 = corpusCrop("mri_colin_axial_z90_native.png", 16);
    const Image grey16 = corpusCrop("mri_macaque_axial_z70_native_16.png", 16);
    for (const auto& [name, image] : {std::pair{"8", grey8}, std::pair{"16", grey16}}) {
        for (const char* ext : {".png", ".tif"}) {
            std::vector<uint8_t> bytes;
            cv::imencode(ext, image.mat(), bytes);
            write("image_decode", std::string("grey") + name + ext, bytes);
        }
    }
    for (const char* ext : {".bmp", ".jpg"}) {
        std::vector<uint8_t> bytes;
        cv::imencode(ext, grey8.mat(), bytes);
        write("image_decode", std::string("grey8") + ext, bytes);
    }
    std::vector<uint8_t> uncompressed;
    cv::imencode(".tif", grey8.mat(), uncompressed, {cv::IMWRITE_TIFF_COMPRESSION, 1});
    write("image_decode", "grey8-uncompressed.tif", uncompressed);
}

void dicomSeeds()
{
    const std::string pydicom = "/usr/lib/python3/dist-packages/pydicom/data/test_files/";
    for (const char* name :
         {"MR_small_RLE.dcm", "MR_small_jpeg_ls_lossless.dcm", "MR_small_implicit.dcm",
          "MR_small_bigendian.dcm", "ExplVR_LitEndNoMeta.dcm", "ExplVR_BigEndNoMeta.dcm"}) {
        auto bytes = readFileBytes(pydicom + name);
        if (check(bytes, name))
            write("dicom_loader", name, *bytes);
    }
    // A file MedVeil wrote: the private block with its metadata.
    auto source = readFileBytes(pydicom + "MR_small.dcm");
    if (!check(source, "MR_small.dcm"))
        return;
    auto file = DicomFile::fromBytes(*source, "MR_small.dcm");
    if (!check(file, "MR_small.dcm"))
        return;
    if (auto written =
            file->encode(file->image(), {{"MedVeil:format", "key-region 1"}, {"MedVeil:side", "AAAA"}},
                         DicomFile::Instance::Derived);
        check(written, "encode"))
        write("dicom_loader", "medveil-derived.dcm", *written);
}

} // namespace

int main(int argc, char** argv)
{
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s OUT_DIR\n", argv[0]);
        return 1;
    }
    outDir = argv[1];
    protectionSeeds();
    emrParameterSeeds();
    imageSeeds();
    dicomSeeds();
    return failures == 0 ? 0 : 1;
}
