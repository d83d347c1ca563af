// SPDX-License-Identifier: GPL-3.0-or-later
#include "emr/EmrSealer.h"

#include "crypto/AesGcm.h"
#include "crypto/Digest.h"
#include "emr/EmrImageCodec.h"
#include "emr/LscChaoticCipher.h"
#include "emr/ResidualCodec.h"
#include "emr/SealedCipherImage.h"
#include "emr/SealedEmrParameters.h"
#include "metrics/ImageMetrics.h"

#include <cmath>

namespace medveil::EmrSealer {

namespace {

/// New seals compute channels-last: a 512² hide or reveal takes half the time of the planar layout.
constexpr HiNetLayout kSealLayout = HiNetLayout::ChannelsLast;

/// The residual's and the identity's AES-GCM keys (HKDF subkeys of the cipher key) and associated data:
/// bound to this cipher image and its wrapped key.
Result<Bytes> residualKey(const Bytes& cipherKey)
{
    return hkdfSha256(cipherKey, toBytes("MedVeil EMR residual"), "aes-256-gcm", 32);
}

Result<Bytes> identityKey(const Bytes& cipherKey)
{
    return hkdfSha256(cipherKey, toBytes("MedVeil EMR identity"), "aes-256-gcm", 32);
}

/// Seals `plain` under `key` into metadata[name].
Status sealPart(std::map<std::string, std::string>& metadata, const char* name, const Result<Bytes>& key,
                const Bytes& plain, const Bytes& aad)
{
    if (!key)
        return key.error();
    auto sealed = AesGcm::seal(*key, plain, aad);
    if (!sealed)
        return sealed.error();
    metadata[name] = base64Encode(*sealed);
    return {};
}

/// Opens metadata[name]; a missing, changed or moved part is Auth.
Result<Bytes> openPart(const std::map<std::string, std::string>& metadata, const char* name,
                       const Result<Bytes>& key, const Bytes& aad, const std::string& what)
{
    if (!key)
        return key.error();
    const auto text = metadata.find(name);
    if (text == metadata.end())
        return makeError(ErrorKind::Auth, "the sealed image's " + what + " was removed");
    auto coded = base64Decode(text->second);
    if (!coded)
        return makeError(ErrorKind::Auth, "the sealed image's " + what + " was modified");
    auto plain = AesGcm::open(*key, *coded, aad);
    if (!plain)
        return makeError(ErrorKind::Auth, "the sealed image's " + what + " was modified (AES-GCM)");
    return plain;
}

Bytes residualAad(const Image& cipher, const std::map<std::string, std::string>& metadata)
{
    Bytes aad = sha256(cipher.pixelBytes());
    const auto wrapped = metadata.find(SealedCipherImage::kWrappedKeyKey);
    if (wrapped != metadata.end())
        appendBlob(aad, toBytes(wrapped->second));
    return aad;
}

/// What the receiver's network gives back from a stego: rebuild the cover (conditioned network), reveal,
/// undo the 16-bit offset. seal() runs the same function, so the residual matches open() exactly.
Result<Image> revealFromStego(const Image& stego, HiNetModel& network, int depth, int scale, int offset,
                              HiNetLayout layout, HiNetTiling tiling, const JobControl& control)
{
    Image cover;
    if (network.conditioned()) {
        auto rebuilt = EmrImageCodec::reconstructCover(stego);
        if (!rebuilt)
            return makeError(ErrorKind::Auth, "the cover cannot be rebuilt: " + rebuilt.error().message);
        cover = std::move(*rebuilt);
    }
    auto revealed = network.reveal(stego, depth, scale, control, cover, layout, tiling);
    if (!revealed)
        return revealed.error();
    if (offset > 0) {
        cv::Mat shifted;
        cv::add(revealed->mat(), cv::Scalar(offset), shifted); // saturates at 65535
        return Image::fromMat(shifted);
    }
    return revealed;
}

} // namespace

int chooseBase(size_t emrBytes, int width, int height)
{
    // Base 2 doubles the digit tolerance (±63 grey levels against ±31 at base 4): no stego pixel is pulled
    // back and the network's reveal is several dB better; base 4 holds twice the text.
    return EmrImageCodec(2).capacityBytes(width, height) >= emrBytes ? 2 : 4;
}

Result<SealedEmr> seal(const Image& medical, const std::string& emr, const RsaKey& recipient,
                       HiNetModel& network, const JobControl& control, int base, const Bytes& fixedPaddingKey,
                       EmrRecovery recovery, const std::string& identity, const Bytes& headerDigest,
                       int tileSide)
{
    return seal(medical, emr, recipient, existingNetwork(network), control, base, fixedPaddingKey, recovery,
                identity, headerDigest, tileSide);
}

Result<SealedEmr> seal(const Image& medical, const std::string& emr, const RsaKey& recipient,
                       const HiNetSource& networkSource, const JobControl& control, int base,
                       const Bytes& fixedPaddingKey, EmrRecovery recovery, const std::string& identity,
                       const Bytes& headerDigest, int tileSide)
{
    if (base == kAutoBase)
        base = chooseBase(emr.size(), medical.width(), medical.height());
    if (!headerDigest.empty() && headerDigest.size() != 32)
        return makeError(ErrorKind::Internal, "a header digest is a SHA-256");
    if (medical.empty())
        return makeError(ErrorKind::BadInput, "the medical image is empty");
    control.report(0.0, "encoding the EMR");
    const EmrImageCodec codec(base);
    auto paddingKey = fixedPaddingKey.empty() ? randomBytes(32) : Result<Bytes>(fixedPaddingKey);
    if (!paddingKey)
        return paddingKey.error();
    auto encoded = codec.encode(emr, medical.width(), medical.height(), *paddingKey);
    if (!encoded)
        return encoded.error();
    double low = 0, high = 0;
    cv::minMaxLoc(medical.mat(), &low, &high);
    const int offset = medical.bitDepth() == 8 ? 0 : static_cast<int>(low);
    const int scale = medical.bitDepth() == 8 ? 255 : std::max(1, static_cast<int>(high - low));
    Image secret = medical;
    if (offset > 0) {
        cv::Mat shifted;
        cv::subtract(medical.mat(), cv::Scalar(offset), shifted);
        MEDVEIL_ASSIGN_OR_RETURN(secret, Image::fromMat(shifted));
    }
    // Large images run through the network in tiles (bounded memory); the receiver reveals with the same
    // tiling, which the sealed parameters carry, so that the residual completes its reveal exactly.
    if (tileSide < SealedEmrParameters::kMinimumTileSide || tileSide > 65534)
        return makeError(ErrorKind::Internal, "the HiNet tile side is out of range");
    const Bytes originalSha256 = sha256(medical.pixelBytes());
    // Everything above runs while the network may still be loading; from here on it is needed.
    MEDVEIL_ASSIGN_OR_RETURN(const std::shared_ptr<HiNetModel> loaded, networkSource());
    HiNetModel& network = *loaded;
    const HiNetTiling tiling = network.tilingFor(medical.width(), medical.height(), tileSide);
    // One embedding at `embedScale` (the secret value the network sees as 1.0): hide, keep the cover
    // recoverable, check the record, and reveal exactly as open() will (its quality is reported, and in
    // exact mode the residual to the original travels, encrypted, with the file).
    struct Embedding
    {
        Image stego, revealed;
        size_t pulled = 0;
        int scale = 0;
        double stegoPsnr = 0, revealQuality = 0;
    };
    auto embed = [&](int embedScale) -> Result<Embedding> {
        Embedding e;
        e.scale = embedScale;
        MEDVEIL_ASSIGN_OR_RETURN(e.stego, network.hide(*encoded, secret, embedScale,
                                                       control.stage(0.05, 0.45), kSealLayout, tiling));
        // A cover-conditioned network reveals with the cover the receiver rebuilds from the stego, so every
        // pixel (padding too) must stay within its digit's tolerance; the plain network only needs the text.
        MEDVEIL_ASSIGN_OR_RETURN(e.pulled, network.conditioned()
                                               ? EmrImageCodec::keepCoverRecoverable(*encoded, e.stego)
                                               : EmrImageCodec::keepDecodable(*encoded, e.stego));
        auto check = EmrImageCodec::decode(e.stego);
        if (!check || *check != emr)
            return makeError(ErrorKind::Internal,
                             "the EMR does not survive HiNet's distortion on this image (a digit broke); "
                             "this is a bug in the network or the codec base — nothing was written");
        if (network.conditioned()) {
            auto rebuilt = EmrImageCodec::reconstructCover(e.stego);
            if (!rebuilt || rebuilt->mat().total() != encoded->mat().total() ||
                cv::countNonZero(rebuilt->mat() != encoded->mat()) != 0)
                return makeError(
                    ErrorKind::Internal,
                    "the receiver could not rebuild the cover from this stego — nothing was written");
        }
        MEDVEIL_ASSIGN_OR_RETURN(e.revealed,
                                 revealFromStego(e.stego, network, medical.bitDepth(), embedScale, offset,
                                                 kSealLayout, tiling, control.stage(0.45, 0.8)));
        MEDVEIL_ASSIGN_OR_RETURN(e.stegoPsnr, psnr(*encoded, e.stego));
        MEDVEIL_ASSIGN_OR_RETURN(e.revealQuality, medical.bitDepth() == 8 ? psnr(medical, e.revealed)
                                                                          : psnrRange(medical, e.revealed));
        return e;
    };
    MEDVEIL_ASSIGN_OR_RETURN(Embedding chosen, embed(scale));
    // Adaptive strength: where the stego would fall below kStegoFloorDb (high-contrast dark images at
    // their native size cost the network the most), the secret enters with less amplitude — a larger
    // scale, 1 dB at a time up to twice — as long as the reveal stays at kRevealFloorDb or better. The
    // receiver reveals with the sealed scale (a field since version 1), so open() needs nothing new.
    for (int step = 1; step <= 6; ++step) {
        if (chosen.stegoPsnr >= kStegoFloorDb || chosen.revealQuality < kRevealFloorDb)
            break;
        const double factor = std::pow(10.0, step / 20.0);
        const int weaker = static_cast<int>(std::min(65535.0, std::round(scale * factor)));
        MEDVEIL_ASSIGN_OR_RETURN(Embedding trial, embed(weaker));
        if (trial.revealQuality < kRevealFloorDb || trial.stegoPsnr <= chosen.stegoPsnr)
            break;
        chosen = std::move(trial);
    }
    const int sealedScale = chosen.scale;
    Bytes residual;
    if (recovery == EmrRecovery::Exact) {
        auto coded = ResidualCodec::encode(medical, chosen.revealed);
        if (!coded)
            return coded.error();
        residual = std::move(*coded);
    }
    control.report(0.85, "encrypting");
    auto key = randomBytes(32);
    if (!key)
        return key.error();
    const Bytes plainHash = sha256(chosen.stego.pixelBytes());
    auto cipher = LscChaoticCipher::encrypt(chosen.stego, *key, plainHash, LscChaoticCipher::kCurrentVersion);
    if (!cipher)
        return cipher.error();
    // 16-bit images enter the network as (value − offset) / scale with offset and scale their own minimum
    // and range, so 12-bit CT/MR data (often offset, e.g. signed DICOM) use the network's whole [0, 1] input.
    SealedEmrParameters parameters;
    parameters.base = static_cast<uint8_t>(base);
    parameters.bitDepth = static_cast<uint8_t>(medical.bitDepth());
    parameters.scale = static_cast<uint16_t>(sealedScale);
    parameters.offset = static_cast<uint16_t>(offset);
    parameters.exactRecovery = recovery == EmrRecovery::Exact;
    parameters.hasIdentity = !identity.empty();
    parameters.originalSha256 = originalSha256;
    parameters.headerDigest = headerDigest;
    if (network.weightsDigest().size() == 32)
        parameters.weightsDigest = network.weightsDigest();
    parameters.layout = kSealLayout;
    parameters.cipherVersion = static_cast<uint8_t>(LscChaoticCipher::kCurrentVersion);
    parameters.tiling = tiling;
    if (tiling == HiNetTiling{})
        parameters.version = 7; // untiled: the layout every earlier release opens
    MEDVEIL_ASSIGN_OR_RETURN(const Bytes packedParameters, parameters.serialize());
    auto metadata = SealedCipherImage::seal(*cipher, {*key, plainHash, packedParameters}, recipient, kFormat);
    if (!metadata)
        return metadata.error();
    const Bytes aad = residualAad(*cipher, *metadata);
    if (recovery == EmrRecovery::Exact)
        MEDVEIL_TRY(sealPart(*metadata, kResidualKey, residualKey(*key), residual, aad));
    if (!identity.empty())
        MEDVEIL_TRY(sealPart(*metadata, kIdentityKey, identityKey(*key), toBytes(identity), aad));
    SealedEmr out;
    out.cipher = std::move(*cipher);
    out.metadata = std::move(*metadata);
    out.encoded = std::move(*encoded);
    out.stego = std::move(chosen.stego);
    out.emrBytes = emr.size();
    out.base = base;
    out.pulledPixels = chosen.pulled;
    out.secretScale = sealedScale;
    out.strengthReductionDb = 20.0 * std::log10(double(sealedScale) / double(scale));
    out.recovery = recovery;
    out.residualBytes = residual.size();
    if (medical.bitDepth() == 8) {
        out.revealPsnr = chosen.revealQuality; // the same psnr() of the same images
    } else {
        MEDVEIL_ASSIGN_OR_RETURN(out.revealPsnr, psnr(medical, chosen.revealed));
    }
    out.stegoPsnr = chosen.stegoPsnr;
    MEDVEIL_ASSIGN_OR_RETURN(out.stegoSsim, ssimAnySize(out.encoded, out.stego));
    control.report(1.0, "sealed");
    return out;
}

Result<OpenedEmr> open(const Image& cipher, const std::map<std::string, std::string>& metadata,
                       const RsaKey& privateKey, HiNetModel& network, const JobControl& control,
                       const Bytes& headerDigest, const OtherWeights& otherWeights)
{
    return open(cipher, metadata, privateKey, existingNetwork(network), control, headerDigest, otherWeights);
}

Result<OpenedEmr> open(const Image& cipher, const std::map<std::string, std::string>& metadata,
                       const RsaKey& privateKey, const HiNetSource& networkSource, const JobControl& control,
                       const Bytes& headerDigest, const OtherWeights& otherWeights)
{
    control.report(0.0, "verifying");
    if (cipher.bitDepth() != 8)
        return makeError(ErrorKind::BadInput, "a sealed EMR image is 8-bit");
    auto secrets = SealedCipherImage::open(cipher, metadata, privateKey, kFormat);
    if (!secrets)
        return secrets.error();
    auto parsed = SealedEmrParameters::parse(secrets->parameters);
    if (!parsed) // authenticated bytes this release cannot read: a forged or future seal
        return makeError(ErrorKind::Auth,
                         "the sealed parameters have an unknown format (" + parsed.error().message + ")");
    const SealedEmrParameters& parameters = *parsed;
    // The DICOM header around the sealed pixels: bound since version 4, so any edit is refused.
    bool headerVerified = false;
    if (!parameters.headerDigest.empty()) {
        if (headerDigest.empty() || !constantTimeEqual(headerDigest, parameters.headerDigest))
            return makeError(ErrorKind::Auth, headerDigest.empty()
                                                  ? "this seal was made in a DICOM file; open the DICOM file"
                                                  : "the DICOM header was modified after sealing");
        headerVerified = true;
    } else if (parameters.version >= 4 && !headerDigest.empty()) {
        return makeError(ErrorKind::Auth, "this seal was not made in a DICOM file: the DICOM header around "
                                          "it was added afterwards");
    }
    const bool exactRecovery = parameters.exactRecovery;
    const auto residualText = metadata.find(kResidualKey);
    if (exactRecovery && residualText == metadata.end())
        return makeError(ErrorKind::Auth, "the sealed image's residual was removed");
    if (!exactRecovery && residualText != metadata.end())
        return makeError(ErrorKind::Auth, "the sealed image carries a residual it was not sealed with");
    if (!parameters.hasIdentity && metadata.count(kIdentityKey))
        return makeError(ErrorKind::Auth, "the sealed image carries an identity part it was not sealed with");
    control.report(0.1, "decrypting");
    // parse() accepted only versions this release knows; seals before parameters version 7 are version 1.
    MEDVEIL_ASSIGN_OR_RETURN(const LscCipherVersion cipherVersion,
                             LscChaoticCipher::versionFromByte(parameters.cipherVersion));
    auto stego = LscChaoticCipher::decrypt(cipher, secrets->key, secrets->plainHash, cipherVersion);
    if (!stego)
        return stego.error();
    if (!constantTimeEqual(sha256(stego->pixelBytes()), secrets->plainHash))
        return makeError(ErrorKind::Auth, "the decrypted image does not match its sealed hash");
    auto text = EmrImageCodec::decode(*stego);
    if (!text)
        return makeError(ErrorKind::Auth, "the EMR cannot be decoded: " + text.error().message);
    // Authenticate the residual and the identity before spending time on the network.
    const Bytes aad = residualAad(cipher, metadata);
    Bytes residual;
    if (exactRecovery) {
        auto plain = openPart(metadata, kResidualKey, residualKey(secrets->key), aad, "residual");
        if (!plain)
            return plain.error();
        residual = std::move(*plain);
    }
    std::string identity;
    if (parameters.hasIdentity) {
        auto plain = openPart(metadata, kIdentityKey, identityKey(secrets->key), aad, "identity part");
        if (!plain)
            return plain.error();
        identity.assign(plain->begin(), plain->end());
    }
    // Everything above runs while the network may still be loading; from here on it is needed.
    MEDVEIL_ASSIGN_OR_RETURN(const std::shared_ptr<HiNetModel> loaded, networkSource());
    HiNetModel& network = *loaded;
    // Which network reveals: the weights the seal names (the given network, or archived weights of an
    // earlier release); a seal that names none (before version 5) tries the given network, then, in exact
    // mode, the archived ones until the original's SHA-256 matches.
    std::vector<std::shared_ptr<HiNetModel>> others;
    std::vector<HiNetModel*> candidates;
    if (parameters.weightsDigest.empty() || parameters.weightsDigest == network.weightsDigest()) {
        candidates.push_back(&network);
        if (parameters.weightsDigest.empty() && exactRecovery && otherWeights)
            others = otherWeights({});
    } else {
        if (otherWeights)
            others = otherWeights(parameters.weightsDigest);
        if (others.empty() && exactRecovery)
            return makeError(
                ErrorKind::BadInput,
                "this file was sealed with other HiNet weights (SHA-256 " +
                    hexEncode(parameters.weightsDigest).substr(0, 16) + "…) than this installation's (" +
                    hexEncode(network.weightsDigest()).substr(0, 16) +
                    "…); only they reproduce the exact image: open it with those weights (--model)");
        if (others.empty())
            candidates.push_back(&network); // network mode: another network's reveal, still the record
    }
    for (const auto& other : others)
        candidates.push_back(other.get());
    Result<Image> revealed = makeError(ErrorKind::Internal, "no HiNet to reveal with");
    bool verified = false;
    for (HiNetModel* candidate : candidates) {
        revealed =
            revealFromStego(*stego, *candidate, parameters.bitDepth, parameters.scale, parameters.offset,
                            parameters.layout, parameters.tiling, control.stage(0.2, 0.95));
        if (!revealed)
            return revealed.error();
        if (!exactRecovery)
            break;
        auto original = ResidualCodec::apply(residual, *revealed);
        if (original && constantTimeEqual(sha256(original->pixelBytes()), parameters.originalSha256)) {
            revealed = std::move(*original);
            verified = true;
            break;
        }
        if (candidate == candidates.back())
            return makeError(
                ErrorKind::Auth,
                original
                    ? "the recovered image does not match the original's SHA-256 (the file was "
                      "modified, or sealed with HiNet weights this installation lacks)"
                    : "the sealed residual does not fit the revealed image: " + original.error().message +
                          " (the file was modified, or sealed with HiNet weights this "
                          "installation lacks)");
    }
    OpenedEmr out;
    out.emr = std::move(*text);
    out.emrBytes = out.emr.size();
    out.revealed = std::move(*revealed);
    out.stego = std::move(*stego);
    out.recovery = exactRecovery ? EmrRecovery::Exact : EmrRecovery::Network;
    out.verified = verified;
    out.legacyFormat = parameters.version < 3;
    out.headerVerified = headerVerified;
    out.identity = std::move(identity);
    control.report(1.0, "opened");
    return out;
}

} // namespace medveil::EmrSealer
