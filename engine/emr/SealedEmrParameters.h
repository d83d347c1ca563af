// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/Bytes.h"
#include "core/Result.h"
#include "emr/HiNet.h"

#include <cstdint>

namespace medveil {

/// The parameters an EMR seal carries under the recipient's key (SealedCipherImage's `parameters`): what
/// open() needs to reveal the medical image and to check it. One versioned byte layout, little endian:
///
/// | version | adds |
/// | --- | --- |
/// | 1 | version u8, EMR base u8 (2, 4, 16), bit depth u8 (8, 16), scale u16 (≥ 1) |
/// | 2 | offset u16 (16-bit images enter the network as (value − offset) / scale; version 1: 0) |
/// | 3 | exact recovery u8 (0/1), identity part u8 (0/1), SHA-256 of the original pixels (32 bytes) |
/// | 4 | DICOM header flag u8 (0/1) and, when 1, the header's digest (32 bytes) |
/// | 5 | HiNet weights flag u8 (0/1) and, when 1, the SHA-256 of the weights file (32 bytes) |
/// | 6 | the layout the network computed in u8 (HiNetLayout; earlier versions: planar) |
/// | 7 | the LSC cipher's version u8 (LscCipherVersion; earlier versions: 1) |
/// | 8 | the network's tiling: tile side u16 and halo u16, both even, side ≥ 64 (HiNetTiling; earlier: none)
/// |
///
/// Seals write version 7 when the network ran on the whole image (so that earlier releases still open
/// them), 8 when it ran in tiles. A field a version lacks holds its default here. parse() accepts exactly
/// what serialize() writes: serialize(parse(b)) == b for every accepted b (the fuzz target checks this),
/// trailing bytes are refused.
struct SealedEmrParameters
{
    static constexpr uint8_t kCurrentVersion = 8;

    uint8_t version = kCurrentVersion;
    uint8_t base = 4;
    uint8_t bitDepth = 8;
    uint16_t scale = 255;
    uint16_t offset = 0;
    bool exactRecovery = false;               ///< version ≥ 3
    bool hasIdentity = false;                 ///< version ≥ 3
    Bytes originalSha256;                     ///< version ≥ 3: 32 bytes; empty before
    Bytes headerDigest;                       ///< version ≥ 4: empty (no DICOM header) or 32 bytes
    Bytes weightsDigest;                      ///< version ≥ 5: empty (none named) or 32 bytes
    HiNetLayout layout = HiNetLayout::Planar; ///< version ≥ 6
    uint8_t cipherVersion = 2;                ///< version ≥ 7 (LscCipherVersion); 1 before
    HiNetTiling tiling;                       ///< version ≥ 8; untiled before
    /// The smallest tile side a seal may name (a smaller one would be all halo).
    static constexpr uint16_t kMinimumTileSide = 64;

    /// The bytes of this version's layout. Internal error when a field is out of range or set although
    /// the version has no place for it (a writer's bug, never a file's).
    [[nodiscard]] Result<Bytes> serialize() const;
    /// Any version 1 … kCurrentVersion. A truncated, unknown or inconsistent record is BadInput.
    static Result<SealedEmrParameters> parse(const Bytes& data);

    bool operator==(const SealedEmrParameters&) const = default;
};

} // namespace medveil
