// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/Image.h"
#include "core/Progress.h"
#include "core/Result.h"
#include "crypto/RsaKey.h"
#include "emr/HiNet.h"

#include <functional>
#include <map>
#include <string>

namespace medveil {

/// How emr-open gives the medical image back.
enum class EmrRecovery
{
    Exact,   ///< the network's reveal plus an encrypted lossless residual: bit-exact, SHA-256 verified
    Network, ///< the paper's behaviour: the network's reveal alone (lossy, not for diagnosis)
};

/// The stages of one seal, kept for reports and the GUI's teaching view.
struct SealedEmr
{
    Image cipher;                                ///< what goes into the PNG
    std::map<std::string, std::string> metadata; ///< sealed key, HMAC
    Image encoded;                               ///< EMR encoded image (the cover)
    Image stego;                                 ///< cover with the medical image hidden in it
    size_t emrBytes = 0;
    int base = 4;
    double stegoPsnr = 0; ///< stego vs encoded image, after 8-bit rounding
    double stegoSsim = 0;
    size_t pulledPixels = 0; ///< digit pixels the network pushed past the codec's bound (see keepDecodable)
    EmrRecovery recovery = EmrRecovery::Exact;
    size_t residualBytes = 0; ///< coded residual (exact recovery), before encryption
    double revealPsnr = 0;    ///< what the network alone gives the receiver (peak 2^bits − 1)
    /// The secret value the network saw as 1.0: 255 (8-bit) or the data range (16-bit), larger where
    /// seal() weakened the embedding to keep the stego at kStegoFloorDb (see there).
    int secretScale = 0;
    /// How far seal() weakened the embedding, 20·log10(secretScale / the image's own scale): 0 where the
    /// stego reached kStegoFloorDb at full strength, at most 6 dB.
    double strengthReductionDb = 0;
};

struct OpenedEmr
{
    std::string emr; ///< byte-exact
    Image revealed;  ///< the medical image at its original bit depth (bit-exact when recovery is Exact)
    Image stego;
    size_t emrBytes = 0;
    EmrRecovery recovery = EmrRecovery::Network;
    /// Exact recovery: the SHA-256 of the returned pixels equals the original's, sealed with the key.
    bool verified = false;
    /// Set for files sealed before exact recovery existed: they open in network mode.
    bool legacyFormat = false;
    /// The identity part sealed beside the record (a DICOM header's identity: readable lines and the key of
    /// the header's encrypted elements); empty when there is none. Never part of `emr`.
    std::string identity;
    /// The DICOM header the sealed image came in equals the one sealed (digest in the sealed parameters).
    /// False for PNG seals and for DICOM seals of earlier releases, whose header is not authenticated.
    bool headerVerified = false;
};

/// EMR hidden encryption (Guo et al. 2025): EMR text → encoded image of the medical image's size →
/// HiNet hides the medical image in it → 8-bit stego → LSC bit-level cipher → sealed container
/// (RSA-OAEP-wrapped key and image hash, HMAC-SHA-256 over the cipher pixels). And back.
/// The network's stego passes through EmrImageCodec::keepDecodable (digit pixels pushed past the codec's
/// bound are pulled back and counted in pulledPixels), then seal() verifies that the EMR decodes
/// byte-exactly from the final stego before it returns; a failure there is an Internal error, never a
/// silently lossy file.
namespace EmrSealer {

constexpr const char* kFormat = "emr-seal 1";
/// Metadata key of the AES-256-GCM-sealed residual (exact recovery); the cipher pixels and the wrapped key
/// are its associated data.
constexpr const char* kResidualKey = "MedVeil:residual";
/// Metadata key of the AES-256-GCM-sealed identity part (same binding, its own HKDF subkey).
constexpr const char* kIdentityKey = "MedVeil:identity";

/// `paddingKey` seeds the encoded image's filler digits; empty (the default) draws a fresh one. It protects
/// nothing (the cipher key does), so evaluations pass a fixed one to get the same numbers on every run.
/// `recovery` Exact (the default) also carries the lossless residual so that open() is bit-exact.
/// `identity` (e.g. DicomIdentity::emrSection) travels in its own encrypted part, so the record comes back
/// byte-exactly as it was given; open() returns it in OpenedEmr::identity.
/// `headerDigest` (DicomFile::headerDigest() of the sealed DICOM header, or empty for a PNG) is sealed with
/// the key; open() must be given the digest of the header the file arrives in, and refuses (Auth) a
/// changed one, a missing one, or one added around a seal that had none.
/// `base` of the encoded image's digits: 2, 4 or 16, or kAutoBase (the default): chooseBase().
/// `tileSide`: an image larger than one tile of this side runs through the network in tiles
/// (HiNetModel::tilingFor; memory bounded by a tile) and the seal records the tiling (parameters version 8)
/// so that open() reveals exactly as seal() did; one that fits is sealed untiled, in version 7.
constexpr int kAutoBase = 0;

/// Adaptive strength: when the stego of an image would be below kStegoFloorDb against its cover, seal()
/// hides the secret with less amplitude — its scale raised by 1 dB at a time (× 10^(k/20), k = 1 … 6, at
/// most twice) — until the stego reaches the floor, keeping only steps that raise the stego while the
/// network-only reveal stays at kRevealFloorDb or better (PSNR peak 255 for 8-bit, against the data range
/// for 16-bit; 1 dB above issue #29's 45 dB minimum). Most images need no step.
constexpr double kStegoFloorDb = 32.5;
constexpr double kRevealFloorDb = 46.0;

/// Base 2 when the record fits a width × height image at base 2 (twice the noise tolerance: the network's
/// reveal is better), base 4 otherwise.
int chooseBase(size_t emrBytes, int width, int height);

Result<SealedEmr> seal(const Image& medical, const std::string& emr, const RsaKey& recipient,
                       HiNetModel& network, const JobControl& control = {}, int base = kAutoBase,
                       const Bytes& paddingKey = {}, EmrRecovery recovery = EmrRecovery::Exact,
                       const std::string& identity = {}, const Bytes& headerDigest = {},
                       int tileSide = HiNetModel::kTileSide);

/// seal() with the network taken from `network` only when it is first needed: the record is encoded (and
/// everything else that does not need the network done) while it may still be loading. Same result.
Result<SealedEmr> seal(const Image& medical, const std::string& emr, const RsaKey& recipient,
                       const HiNetSource& network, const JobControl& control = {}, int base = kAutoBase,
                       const Bytes& paddingKey = {}, EmrRecovery recovery = EmrRecovery::Exact,
                       const std::string& identity = {}, const Bytes& headerDigest = {},
                       int tileSide = HiNetModel::kTileSide);

/// Weights other than `network` an open() may need: those whose SHA-256 is the given digest, or every
/// candidate for an empty digest (HiNetModel::loadArchived).
using OtherWeights = std::function<std::vector<std::shared_ptr<HiNetModel>>(const Bytes& digest)>;

/// Opens a seal. An exact seal names the HiNet weights it was made with (only they reproduce its reveal):
/// when they are not `network`, `otherWeights` is asked for them; without them the open is refused
/// (BadInput, naming the weights), never answered with a wrong image.
Result<OpenedEmr> open(const Image& cipher, const std::map<std::string, std::string>& metadata,
                       const RsaKey& privateKey, HiNetModel& network, const JobControl& control = {},
                       const Bytes& headerDigest = {}, const OtherWeights& otherWeights = {});

/// open() with the network taken from `network` only when it is needed: the seal is verified and decrypted
/// and the record, residual and identity opened first, while the network may still be loading; a file
/// refused before that point never waits for it. Same result.
Result<OpenedEmr> open(const Image& cipher, const std::map<std::string, std::string>& metadata,
                       const RsaKey& privateKey, const HiNetSource& network, const JobControl& control = {},
                       const Bytes& headerDigest = {}, const OtherWeights& otherWeights = {});

} // namespace EmrSealer
} // namespace medveil
