// SPDX-License-Identifier: GPL-3.0-or-later
#include "emr/EmrSealer.h"

#include "crypto/Digest.h"
#include "emr/EmrImageCodec.h"
#include "emr/LscChaoticCipher.h"
#include "emr/SealedCipherImage.h"
#include "metrics/ImageMetrics.h"

namespace medveil::EmrSealer {

namespace {

constexpr uint8_t kParametersVersion = 2; ///< 2 added the 16-bit offset; version 1 files open with offset 0

/// Parameters sealed with the key: version, EMR base, the medical image's depth, scale and offset.
/// 16-bit images enter the network as (value − offset) / scale with offset and scale their own minimum and
/// range, so 12-bit CT/MR data (often offset, e.g. signed DICOM) use the network's whole [0, 1] input.
Bytes packParameters(int base, int bitDepth, int scale, int offset)
{
    Bytes p;
    appendU8(p, kParametersVersion);
    appendU8(p, static_cast<uint8_t>(base));
    appendU8(p, static_cast<uint8_t>(bitDepth));
    appendU16(p, static_cast<uint16_t>(scale));
    appendU16(p, static_cast<uint16_t>(offset));
    return p;
}

/// Scales a sub-control so that a stage reports within [from, to] of the whole job.
JobControl stage(const JobControl& control, double from, double to)
{
    JobControl sub;
    sub.cancel = control.cancel;
    if (control.progress)
        sub.progress = [progress = control.progress, from, to](double f, std::string_view s) {
            progress(from + (to - from) * f, s);
        };
    return sub;
}

} // namespace

Result<SealedEmr> seal(const Image& medical, const std::string& emr, const RsaKey& recipient,
                       HiNetModel& network, const JobControl& control, int base, const Bytes& fixedPaddingKey)
{
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
        secret = *Image::fromMat(shifted);
    }
    auto stego = network.hide(*encoded, secret, scale, stage(control, 0.05, 0.8));
    if (!stego)
        return stego.error();
    auto pulled = EmrImageCodec::keepDecodable(*encoded, *stego);
    if (!pulled)
        return pulled.error();
    auto check = EmrImageCodec::decode(*stego);
    if (!check || *check != emr)
        return makeError(ErrorKind::Internal,
                         "the EMR does not survive HiNet's distortion on this image (a digit broke); "
                         "this is a bug in the network or the codec base — nothing was written");
    control.report(0.85, "encrypting");
    auto key = randomBytes(32);
    if (!key)
        return key.error();
    const Bytes plainHash = sha256(stego->pixelBytes());
    auto cipher = LscChaoticCipher::encrypt(*stego, *key, plainHash);
    if (!cipher)
        return cipher.error();
    auto metadata = SealedCipherImage::seal(
        *cipher, {*key, plainHash, packParameters(base, medical.bitDepth(), scale, offset)}, recipient,
        kFormat);
    if (!metadata)
        return metadata.error();
    SealedEmr out;
    out.cipher = std::move(*cipher);
    out.metadata = std::move(*metadata);
    out.encoded = std::move(*encoded);
    out.stego = std::move(*stego);
    out.emrBytes = emr.size();
    out.base = base;
    out.pulledPixels = *pulled;
    out.stegoPsnr = *psnr(out.encoded, out.stego);
    out.stegoSsim = *ssimAnySize(out.encoded, out.stego);
    control.report(1.0, "sealed");
    return out;
}

Result<OpenedEmr> open(const Image& cipher, const std::map<std::string, std::string>& metadata,
                       const RsaKey& privateKey, HiNetModel& network, const JobControl& control)
{
    control.report(0.0, "verifying");
    if (cipher.bitDepth() != 8)
        return makeError(ErrorKind::BadInput, "a sealed EMR image is 8-bit");
    auto secrets = SealedCipherImage::open(cipher, metadata, privateKey, kFormat);
    if (!secrets)
        return secrets.error();
    ByteReader reader(secrets->parameters);
    auto version = reader.u8(), base = reader.u8(), depth = reader.u8();
    auto scale = reader.u16();
    const Result<uint16_t> offset = version && *version >= 2 ? reader.u16() : Result<uint16_t>(uint16_t(0));
    if (!version || *version < 1 || *version > kParametersVersion || !base || !depth || !scale || !offset ||
        (*depth != 8 && *depth != 16))
        return makeError(ErrorKind::Auth, "the sealed parameters have an unknown format");
    control.report(0.1, "decrypting");
    auto stego = LscChaoticCipher::decrypt(cipher, secrets->key, secrets->plainHash);
    if (!stego)
        return stego.error();
    if (!constantTimeEqual(sha256(stego->pixelBytes()), secrets->plainHash))
        return makeError(ErrorKind::Auth, "the decrypted image does not match its sealed hash");
    auto text = EmrImageCodec::decode(*stego);
    if (!text)
        return makeError(ErrorKind::Auth, "the EMR cannot be decoded: " + text.error().message);
    auto revealed = network.reveal(*stego, *depth, *scale, stage(control, 0.2, 1.0));
    if (!revealed)
        return revealed.error();
    if (*offset > 0) {
        cv::Mat shifted;
        cv::add(revealed->mat(), cv::Scalar(*offset), shifted); // saturates at 65535
        revealed = *Image::fromMat(shifted);
    }
    OpenedEmr out;
    out.emr = std::move(*text);
    out.emrBytes = out.emr.size();
    out.revealed = std::move(*revealed);
    out.stego = std::move(*stego);
    control.report(1.0, "opened");
    return out;
}

} // namespace medveil::EmrSealer
