// SPDX-License-Identifier: GPL-3.0-or-later
#include "keyregion/ProtectionRecord.h"

#include <zstd.h>

#include <cstring>
#include <sstream>

namespace medveil {

namespace {
constexpr size_t kMaxRecord = 64u << 20; // refuse to inflate absurd sizes from a forged header
}

Result<Bytes> ProtectionRecord::serialize() const
{
    Bytes raw;
    appendU8(raw, kVersion);
    appendU32(raw, static_cast<uint32_t>(width));
    appendU32(raw, static_cast<uint32_t>(height));
    appendU8(raw, static_cast<uint8_t>(bitDepth));
    appendU32(raw, static_cast<uint32_t>(region.x));
    appendU32(raw, static_cast<uint32_t>(region.y));
    appendU32(raw, static_cast<uint32_t>(region.width));
    appendU32(raw, static_cast<uint32_t>(region.height));
    uint64_t thresholdBits = 0;
    std::memcpy(&thresholdBits, &threshold, sizeof threshold);
    appendU64(raw, thresholdBits);
    appendBlob(raw, texture.serialize());
    appendBlob(raw, plan.serialize());
    appendU32(raw, payloadBytes);
    appendBlob(raw, originalSha256);
    appendBlob(raw, headerDigest);
    appendU8(raw, scrambling);
    appendBlob(raw, blockDigests);
    appendU32(raw, static_cast<uint32_t>(extraRegions.size()));
    for (const Rect& r : extraRegions)
        for (int v : {r.x, r.y, r.width, r.height})
            appendU32(raw, static_cast<uint32_t>(v));
    Bytes out(ZSTD_compressBound(raw.size()));
    const size_t size = ZSTD_compress(out.data(), out.size(), raw.data(), raw.size(), 9);
    if (ZSTD_isError(size))
        return makeError(ErrorKind::Internal, "cannot compress the protection record");
    out.resize(size);
    return out;
}

Result<ProtectionRecord> ProtectionRecord::deserialize(const Bytes& compressed)
{
    const Error bad = makeError(ErrorKind::BadInput, "the protection record is malformed");
    const unsigned long long size = ZSTD_getFrameContentSize(compressed.data(), compressed.size());
    if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN || size > kMaxRecord)
        return bad;
    Bytes raw(size);
    const size_t got = ZSTD_decompress(raw.data(), raw.size(), compressed.data(), compressed.size());
    if (ZSTD_isError(got) || got != size)
        return bad;
    ByteReader r(raw);
    ProtectionRecord record;
    auto version = r.u8();
    if (!version || *version < 1 || *version > kVersion)
        return makeError(ErrorKind::BadInput, "unsupported protection record version");
    auto w = r.u32(), h = r.u32();
    auto depth = r.u8();
    auto x = r.u32(), y = r.u32(), rw = r.u32(), rh = r.u32();
    auto thresholdBits = r.u64();
    auto texture = r.blob(), plan = r.blob();
    auto payload = r.u32();
    auto hash = r.blob();
    const Result<Bytes> header = *version >= 2 ? r.blob() : Result<Bytes>(Bytes{});
    const Result<uint8_t> scrambling = *version >= 2 ? r.u8() : Result<uint8_t>(uint8_t(0));
    const Result<Bytes> digests = *version >= 2 ? r.blob() : Result<Bytes>(Bytes{});
    const Result<uint32_t> extraCount = *version >= 2 ? r.u32() : Result<uint32_t>(0u);
    if (!header || (!header->empty() && header->size() != 32) || !scrambling || *scrambling > 1 || !digests ||
        !extraCount || *extraCount > 64)
        return bad;
    std::vector<Rect> extras;
    for (uint32_t i = 0; i < *extraCount; ++i) {
        auto ex = r.u32(), ey = r.u32(), ew = r.u32(), eh = r.u32();
        if (!ex || !ey || !ew || !eh)
            return bad;
        extras.push_back(Rect{int(*ex), int(*ey), int(*ew), int(*eh)});
    }
    if (!w || !h || !depth || !x || !y || !rw || !rh || !thresholdBits || !texture || !plan || !payload ||
        !hash || r.remaining() != 0 || *w > 1u << 16 || *h > 1u << 16 || (*depth != 8 && *depth != 16) ||
        hash->size() != 32)
        return bad;
    record.width = static_cast<int>(*w);
    record.height = static_cast<int>(*h);
    record.bitDepth = *depth;
    record.region =
        Rect{static_cast<int>(*x), static_cast<int>(*y), static_cast<int>(*rw), static_cast<int>(*rh)};
    if (!record.region.insideImage(record.width, record.height))
        return bad;
    std::memcpy(&record.threshold, &*thresholdBits, sizeof record.threshold);
    auto map = TextureMap::deserialize(*texture);
    auto peePlan = PeePlan::deserialize(*plan);
    if (!map || !peePlan || map->blocksX() != record.width / TextureMap::kBlock ||
        map->blocksY() != record.height / TextureMap::kBlock)
        return bad;
    record.texture = std::move(*map);
    record.plan = std::move(*peePlan);
    record.payloadBytes = *payload;
    if (record.plan.totalBits() != size_t(record.payloadBytes) * 8)
        return bad;
    record.originalSha256 = std::move(*hash);
    record.headerDigest = std::move(*header);
    record.scrambling = *scrambling;
    record.blockDigests = std::move(*digests);
    for (const Rect& extra : extras)
        if (!extra.insideImage(record.width, record.height) || extra.width < 1 || extra.height < 1)
            return bad;
    record.extraRegions = std::move(extras);
    record.version = *version;
    return record;
}

std::map<std::string, std::string> PublicProtectionInfo::toMetadata() const
{
    const Rect& r = geometry.region;
    std::ostringstream qr;
    qr << width << "x" << height << ";" << r.x << "," << r.y << "," << r.width << "," << r.height << ";"
       << geometry.moduleSize << "," << geometry.modules << "," << geometry.white;
    return {{kFormatKey, kFormatValue},
            {kGeometryKey, qr.str()},
            {kSideKey, base64Encode(sealedRecord)},
            {kPixelsKey, pixelsSha256Hex}};
}

Result<PublicProtectionInfo>
PublicProtectionInfo::fromMetadata(const std::map<std::string, std::string>& metadata)
{
    const auto format = metadata.find(kFormatKey);
    if (format == metadata.end())
        return makeError(ErrorKind::BadInput, "not a MedVeil-protected image (no protection data)");
    const Error tampered = makeError(ErrorKind::Auth, "the MedVeil protection data was modified");
    if (format->second != kFormatValue)
        return makeError(ErrorKind::BadInput, "unsupported MedVeil format '" + format->second + "'");
    const auto qr = metadata.find(kGeometryKey);
    const auto side = metadata.find(kSideKey);
    const auto pixels = metadata.find(kPixelsKey);
    if (qr == metadata.end() || side == metadata.end() || pixels == metadata.end())
        return tampered;
    PublicProtectionInfo info;
    int values[10];
    char tail = 0;
    if (std::sscanf(qr->second.c_str(), "%dx%d;%d,%d,%d,%d;%d,%d,%d%c", &values[0], &values[1], &values[2],
                    &values[3], &values[4], &values[5], &values[6], &values[7], &values[8], &tail) != 9)
        return tampered;
    info.width = values[0];
    info.height = values[1];
    info.geometry =
        QrGeometry{Rect{values[2], values[3], values[4], values[5]}, values[6], values[7], values[8]};
    auto sealed = base64Decode(side->second);
    if (!sealed)
        return tampered;
    info.sealedRecord = std::move(*sealed);
    info.pixelsSha256Hex = pixels->second;
    return info;
}

} // namespace medveil
