// SPDX-License-Identifier: GPL-3.0-or-later
#include "emr/SealedEmrParameters.h"

#include "emr/LscChaoticCipher.h"

#include <string>

namespace medveil {

namespace {

constexpr size_t kDigestBytes = 32;

bool validBase(uint8_t base)
{
    return base == 2 || base == 4 || base == 16;
}

Result<bool> readFlag(ByteReader& reader)
{
    MEDVEIL_ASSIGN_OR_RETURN(const uint8_t flag, reader.u8());
    if (flag > 1)
        return makeError(ErrorKind::BadInput, "the sealed parameters have an invalid flag");
    return flag == 1;
}

/// A flag byte, then the 32-byte digest when it is 1.
Result<Bytes> readOptionalDigest(ByteReader& reader)
{
    MEDVEIL_ASSIGN_OR_RETURN(const bool present, readFlag(reader));
    if (!present)
        return Bytes{};
    return reader.take(kDigestBytes);
}

bool validTiling(HiNetTiling tiling)
{
    if (tiling.side == 0)
        return tiling.halo == 0;
    return tiling.side >= SealedEmrParameters::kMinimumTileSide && tiling.side % 2 == 0 &&
           tiling.halo % 2 == 0;
}

} // namespace

Result<Bytes> SealedEmrParameters::serialize() const
{
    auto invalid = [](const char* what) {
        return makeError(ErrorKind::Internal, std::string("sealed EMR parameters: ") + what);
    };
    if (version < 1 || version > kCurrentVersion)
        return invalid("unknown version");
    if (!validBase(base) || (bitDepth != 8 && bitDepth != 16) || scale == 0)
        return invalid("base, depth or scale out of range");
    if ((version < 2 && offset != 0) ||
        (version < 3 && (exactRecovery || hasIdentity || !originalSha256.empty())) ||
        (version < 4 && !headerDigest.empty()) || (version < 5 && !weightsDigest.empty()) ||
        (version < 6 && layout != HiNetLayout::Planar) || (version < 7 && cipherVersion != 1) ||
        (version < 8 && !(tiling == HiNetTiling{})))
        return invalid("a field this version has no place for is set");
    if ((version >= 3 && originalSha256.size() != kDigestBytes) ||
        (!headerDigest.empty() && headerDigest.size() != kDigestBytes) ||
        (!weightsDigest.empty() && weightsDigest.size() != kDigestBytes))
        return invalid("a digest is not 32 bytes");
    if (layout != HiNetLayout::Planar && layout != HiNetLayout::ChannelsLast)
        return invalid("unknown network layout");
    if (!LscChaoticCipher::versionFromByte(cipherVersion))
        return invalid("unknown cipher version");
    if (!validTiling(tiling))
        return invalid("invalid network tiling");
    Bytes out;
    appendU8(out, version);
    appendU8(out, base);
    appendU8(out, bitDepth);
    appendU16(out, scale);
    if (version >= 2)
        appendU16(out, offset);
    if (version >= 3) {
        appendU8(out, exactRecovery ? 1 : 0);
        appendU8(out, hasIdentity ? 1 : 0);
        out.insert(out.end(), originalSha256.begin(), originalSha256.end());
    }
    if (version >= 4) {
        appendU8(out, headerDigest.empty() ? 0 : 1);
        out.insert(out.end(), headerDigest.begin(), headerDigest.end());
    }
    if (version >= 5) {
        appendU8(out, weightsDigest.empty() ? 0 : 1);
        out.insert(out.end(), weightsDigest.begin(), weightsDigest.end());
    }
    if (version >= 6)
        appendU8(out, static_cast<uint8_t>(layout));
    if (version >= 7)
        appendU8(out, cipherVersion);
    if (version >= 8) {
        appendU16(out, tiling.side);
        appendU16(out, tiling.halo);
    }
    return out;
}

Result<SealedEmrParameters> SealedEmrParameters::parse(const Bytes& data)
{
    // ByteReader's errors are BadInput ("record is truncated").
    ByteReader reader(data);
    SealedEmrParameters p;
    MEDVEIL_ASSIGN_OR_RETURN(p.version, reader.u8());
    if (p.version < 1 || p.version > kCurrentVersion)
        return makeError(ErrorKind::BadInput,
                         "the sealed parameters have an unknown version " + std::to_string(p.version));
    MEDVEIL_ASSIGN_OR_RETURN(p.base, reader.u8());
    MEDVEIL_ASSIGN_OR_RETURN(p.bitDepth, reader.u8());
    MEDVEIL_ASSIGN_OR_RETURN(p.scale, reader.u16());
    if (!validBase(p.base) || (p.bitDepth != 8 && p.bitDepth != 16) || p.scale == 0)
        return makeError(ErrorKind::BadInput, "the sealed parameters have an invalid base, depth or scale");
    if (p.version >= 2) {
        MEDVEIL_ASSIGN_OR_RETURN(p.offset, reader.u16());
    }
    if (p.version >= 3) {
        MEDVEIL_ASSIGN_OR_RETURN(p.exactRecovery, readFlag(reader));
        MEDVEIL_ASSIGN_OR_RETURN(p.hasIdentity, readFlag(reader));
        MEDVEIL_ASSIGN_OR_RETURN(p.originalSha256, reader.take(kDigestBytes));
    }
    if (p.version >= 4) {
        MEDVEIL_ASSIGN_OR_RETURN(p.headerDigest, readOptionalDigest(reader));
    }
    if (p.version >= 5) {
        MEDVEIL_ASSIGN_OR_RETURN(p.weightsDigest, readOptionalDigest(reader));
    }
    if (p.version >= 6) {
        MEDVEIL_ASSIGN_OR_RETURN(const uint8_t layout, reader.u8());
        if (layout > static_cast<uint8_t>(HiNetLayout::ChannelsLast))
            return makeError(ErrorKind::BadInput, "the sealed parameters name an unknown network layout");
        p.layout = static_cast<HiNetLayout>(layout);
    }
    p.cipherVersion = 1; // every seal before version 7
    if (p.version >= 7) {
        MEDVEIL_ASSIGN_OR_RETURN(p.cipherVersion, reader.u8());
        if (!LscChaoticCipher::versionFromByte(p.cipherVersion))
            return makeError(ErrorKind::BadInput, "the sealed parameters name an unknown cipher version");
    }
    if (p.version >= 8) {
        MEDVEIL_ASSIGN_OR_RETURN(p.tiling.side, reader.u16());
        MEDVEIL_ASSIGN_OR_RETURN(p.tiling.halo, reader.u16());
        if (!validTiling(p.tiling))
            return makeError(ErrorKind::BadInput, "the sealed parameters name an invalid network tiling");
    }
    if (reader.remaining() != 0)
        return makeError(ErrorKind::BadInput, "the sealed parameters have trailing data");
    return p;
}

} // namespace medveil
