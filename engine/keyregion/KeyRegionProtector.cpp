// SPDX-License-Identifier: GPL-3.0-or-later
#include "keyregion/KeyRegionProtector.h"

#include "crypto/AesGcm.h"
#include "crypto/Digest.h"
#include "crypto/KeyStream.h"
#include "crypto/SipHash.h"
#include "keyregion/KeyRegionFinder.h"
#include "keyregion/PredictionErrorExpander.h"
#include "keyregion/ProtectionRecord.h"
#include "keyregion/ProtectionStages.h"
#include "keyregion/QrCodec.h"
#include "keyregion/TextureMap.h"
#include "metrics/ImageMetrics.h"

#include <atomic>
#include <future>
#include <mutex>
#include <optional>
#include <system_error>
#include <thread>

namespace medveil::KeyRegionProtector {

namespace {

constexpr uint8_t kSealedKeyVersion = 1;
/// Ranked automatic regions protect() tries before reporting that the payload does not fit.
constexpr size_t kAutoRegionTries = 16;
// The paper's grid (50 … 5), then finer steps for very smooth images; T = 0 admits every non-flat block.
constexpr double kAutoThresholds[] = {50, 45, 40, 35, 30, 25, 20, 15, 10, 5, 4, 3, 2, 1, 0};

struct Subkeys
{
    Bytes payload, record, arnold;
    Bytes blocks; ///< SipHash key of the per-block digests (records of version 3 on)
};

Result<Subkeys> deriveSubkeys(const Bytes& master)
{
    const Bytes salt = toBytes("MedVeil key-region protection");
    auto payload = hkdfSha256(master, salt, "payload", 32);
    auto record = hkdfSha256(master, salt, "record", 32);
    auto arnold = hkdfSha256(master, salt, "arnold", 32);
    auto blocks = hkdfSha256(master, salt, "block digests", SipHashContext::kKeySize);
    if (!payload || !record || !arnold || !blocks)
        return makeError(ErrorKind::Internal, "key derivation failed");
    return Subkeys{*payload, *record, *arnold, *blocks};
}

/// 16 bits of a digest per 8×8 block (of its index as u32 LE, then its pixels as u16 LE, row by row),
/// row-major, partial edge blocks included. Records of version 3 on: keyed SipHash-2-4 under `blockKey` — a
/// forger who changes a block cannot compute its digest, so cannot hide the change from locateTampering(),
/// and one keyed context is faster than SHA-256. Versions 1–2: SHA-256, how those records were sealed.
Result<Bytes> blockDigests(const Image& image, uint8_t recordVersion, const Bytes& blockKey)
{
    const int blocksX = (image.width() + 7) / 8, blocksY = (image.height() + 7) / 8;
    Bytes out(size_t(blocksX) * size_t(blocksY) * 2);
    const bool keyed = recordVersion >= ProtectionRecord::kKeyedBlockDigests;
    std::optional<SipHashContext> mac;
    if (keyed) {
        MEDVEIL_ASSIGN_OR_RETURN(SipHashContext created, SipHashContext::create(blockKey));
        mac.emplace(std::move(created));
    }
    Sha256Context hasher;
    uint8_t message[4 + 8 * 8 * 2];
    uint8_t digest[32];
    const bool wide = image.bitDepth() == 16;
    for (int by = 0; by < blocksY; ++by)
        for (int bx = 0; bx < blocksX; ++bx) {
            const uint32_t index = static_cast<uint32_t>(by * blocksX + bx);
            for (int i = 0; i < 4; ++i)
                message[i] = static_cast<uint8_t>(index >> (8 * i));
            size_t size = 4;
            const int x0 = bx * 8, x1 = std::min(image.width(), bx * 8 + 8);
            for (int y = by * 8; y < std::min(image.height(), by * 8 + 8); ++y) {
                if (wide) {
                    const uint16_t* row = image.mat().ptr<uint16_t>(y);
                    for (int x = x0; x < x1; ++x) {
                        message[size++] = static_cast<uint8_t>(row[x]);
                        message[size++] = static_cast<uint8_t>(row[x] >> 8);
                    }
                } else {
                    const uint8_t* row = image.mat().ptr<uint8_t>(y);
                    for (int x = x0; x < x1; ++x) {
                        message[size++] = row[x];
                        message[size++] = 0;
                    }
                }
            }
            if (keyed) {
                if (!mac->tag(message, size, digest))
                    return makeError(ErrorKind::Internal, "the per-block digests failed");
            } else {
                hasher.digest(message, size, digest);
            }
            out[size_t(index) * 2] = digest[0];
            out[size_t(index) * 2 + 1] = digest[1];
        }
    return out;
}

Status checkImage(const Image& image)
{
    if (image.empty())
        return makeError(ErrorKind::BadInput, "the image is empty");
    if (image.width() < 32 || image.height() < 32)
        return makeError(ErrorKind::BadInput,
                         "the image (" + std::to_string(image.width()) + "×" +
                             std::to_string(image.height()) +
                             ") is too small to carry a QR code and its hidden key region");
    return {};
}

/// Everything that does not depend on the threshold.
struct Preparation
{
    Rect region;
    std::vector<Rect> extras; ///< further key regions, filled with a neutral grey
    [[nodiscard]] std::vector<Rect> allRegions() const
    {
        std::vector<Rect> all{region};
        all.insert(all.end(), extras.begin(), extras.end());
        return all;
    }
    QrSymbol symbol;
    int moduleSize = 0;
    QrGeometry geometry;
    Image withQr; ///< original with the QR drawn over the key region
    std::vector<double> blockMse;
    std::vector<uint8_t> bits;
    size_t payloadBytes = 0;
    std::string qrText;
    Subkeys keys;
    Bytes originalSha256; ///< SHA-256 of the original's pixels (protect only: the record seals it)
};

/// Runs `task` on another thread, or — when none can be started — where its result is asked for. The
/// future's destructor waits for the task, so what it refers to must be declared before it.
template <typename Task> auto alongside(Task&& task)
{
    return std::async(std::launch::async | std::launch::deferred, std::forward<Task>(task));
}

/// The smallest automatic region side: room for QR modules of 2 px (what a phone reads from a screen or a
/// print) whenever the image's shorter side holds such a region (a multiple of 8); 1-px modules only in
/// images too small for that (≈ 146 px for a 2048-bit key), which protect then reports (qr_module_px).
Result<int> minimumAutomaticSide(const Image& image, const QrContent& content)
{
    MEDVEIL_ASSIGN_OR_RETURN(const int twoPixels, QrCodec::minimumRegionSide(content, true));
    if ((twoPixels + 7) / 8 * 8 <= std::min(image.width(), image.height()))
        return twoPixels;
    return QrCodec::minimumRegionSide(content, false);
}

Result<Rect> chooseRegion(const Image& original, const QrContent& content,
                          const std::optional<Rect>& requested)
{
    auto minSide = QrCodec::minimumRegionSide(content, false); // a user's rectangle: any that holds the QR
    if (!minSide)
        return minSide.error();
    if (!requested)
        minSide = minimumAutomaticSide(original, content);
    if (!minSide)
        return minSide.error();
    const KeyRegionFinder finder(*minSide);
    if (requested) {
        MEDVEIL_TRY(finder.validate(*requested, original));
        return *requested;
    }
    auto candidates = finder.candidates(original);
    if (!candidates)
        return candidates.error();
    return candidates->front().rect;
}

/// Further regions: inside the image, overlapping neither each other nor the QR code's.
Status checkExtraRegions(const std::vector<Rect>& extras, const Rect& primary, const Image& image)
{
    for (size_t i = 0; i < extras.size(); ++i) {
        const Rect& r = extras[i];
        if (!r.insideImage(image.width(), image.height()))
            return makeError(ErrorKind::BadInput, "the region " + r.toString() + " is not inside the " +
                                                      std::to_string(image.width()) + "×" +
                                                      std::to_string(image.height()) + " image");
        if (r.intersects(primary))
            return makeError(ErrorKind::BadInput,
                             "the regions " + primary.toString() + " and " + r.toString() + " overlap");
        for (size_t j = 0; j < i; ++j)
            if (r.intersects(extras[j]))
                return makeError(ErrorKind::BadInput,
                                 "the regions " + extras[j].toString() + " and " + r.toString() + " overlap");
    }
    return {};
}

Result<Preparation> prepare(const Image& original, const QrContent& content,
                            const std::optional<Rect>& requested, const Bytes& master,
                            const std::optional<Bytes>& payloadNonce, const std::vector<Rect>& extras = {},
                            bool hashOriginal = false)
{
    MEDVEIL_TRY(checkImage(original));
    Preparation prep;
    auto region = chooseRegion(original, content, requested);
    if (!region)
        return region.error();
    prep.region = *region;
    MEDVEIL_TRY(checkExtraRegions(extras, prep.region, original));
    prep.extras = extras;
    auto keys = deriveSubkeys(master);
    if (!keys)
        return keys.error();
    prep.keys = std::move(*keys);
    // The payload (compression and AES-GCM of the key regions), the texture statistics and the original's
    // hash read the original only: computed on another core while the QR code is encoded and drawn.
    struct FromOriginal
    {
        Result<Bytes> payload;
        std::vector<double> blockMse;
        Bytes sha256;
    };
    auto fromOriginal = alongside([&original, regions = prep.allRegions(), payloadKey = prep.keys.payload,
                                   &payloadNonce, hashOriginal] {
        FromOriginal out{ProtectionStages::sealRegions(original, regions, payloadKey, payloadNonce),
                         TextureMap::blockMse(original),
                         {}};
        if (hashOriginal)
            out.sha256 = sha256Pixels(original);
        return out;
    });
    MEDVEIL_ASSIGN_OR_RETURN(ProtectionStages::QrCover cover,
                             ProtectionStages::coverWithQr(original, content, prep.region, prep.extras));
    prep.symbol = std::move(cover.symbol);
    prep.moduleSize = cover.moduleSize;
    prep.geometry = cover.geometry;
    prep.withQr = std::move(cover.withQr);
    const auto [bytePart, alnumPart] = QrCodec::textSegments(content);
    prep.qrText = bytePart + alnumPart;

    FromOriginal computed = fromOriginal.get();
    if (!computed.payload)
        return computed.payload.error();
    prep.payloadBytes = computed.payload->size();
    prep.bits = bytesToBits(*computed.payload);
    prep.blockMse = std::move(computed.blockMse);
    prep.originalSha256 = std::move(computed.sha256);
    return prep;
}

using ProtectionStages::TextureEmbedding;

/// One embedding of the prepared payload at `threshold`.
Result<TextureEmbedding> embedAt(const Preparation& prep, double threshold, int maxPasses, double coverage,
                                 bool measureCapacity, const JobControl& control)
{
    return ProtectionStages::embedInTexture(prep.withQr, prep.blockMse, prep.allRegions(), threshold,
                                            prep.bits, {maxPasses, coverage, measureCapacity}, control);
}

/// The sealed record authenticates everything else: the QR text, the public metadata fields and — through
/// the public pixel hash, which recovery compares with the pixels — the protected pixels, so a change to any
/// of them is an Auth error. Since record version 2 the pixels enter through that hash only, so that a
/// record still opens after a pixel change and its block digests can name the changed blocks.
Bytes recordAad(const std::string& qrText, const PublicProtectionInfo& pub)
{
    Bytes aad;
    auto meta = pub.toMetadata();
    for (const std::string& part : {qrText, meta[PublicProtectionInfo::kGeometryKey], pub.pixelsSha256Hex}) {
        appendU32(aad, static_cast<uint32_t>(part.size()));
        aad.insert(aad.end(), part.begin(), part.end());
    }
    return aad;
}

/// Version 1 records: the recomputed pixel hash first (any pixel change made the record unreadable).
Bytes legacyRecordAad(const Image& protectedImage, const std::string& qrText, const PublicProtectionInfo& pub)
{
    Bytes aad = sha256Pixels(protectedImage);
    const Bytes rest = recordAad(qrText, pub);
    aad.insert(aad.end(), rest.begin(), rest.end());
    return aad;
}

std::string capacityMessage(size_t needed, size_t available, double threshold, int passes)
{
    char t[32];
    std::snprintf(t, sizeof t, "%g", threshold);
    return "the key region does not fit: " + std::to_string(needed) + " bits needed, at most " +
           std::to_string(available) + " bits available (threshold " + t + ", " + std::to_string(passes) +
           " passes); use a smaller region" + (threshold > 0 ? " or a lower threshold" : "");
}

} // namespace

namespace {

/// What the texture blocks hold at `threshold` (PredictionErrorExpander::capacity of the image with its QR
/// code), computed asynchronously; `prep` must outlive the future.
std::future<size_t> startCapacityTrial(const Preparation& prep, double threshold,
                                       const ProtectOptions& options)
{
    return std::async(
        std::launch::async, [&prep, threshold, maxPasses = options.maxPasses, coverage = options.coverage] {
            const int w = prep.withQr.width(), h = prep.withQr.height();
            const std::vector<Rect> regions = prep.allRegions();
            const TextureMap texture = TextureMap::fromMse(prep.blockMse, w, h, regions, threshold);
            return ProtectionStages::expanderFor(texture, regions, w, h, maxPasses, coverage)
                .capacity(prep.withQr);
        });
}

/// The protection record (everything recovery needs, AES-256-GCM-sealed under the record key) and the
/// public information that carries it.
Result<PublicProtectionInfo> sealRecord(const Image& original, const Preparation& prep,
                                        const TextureEmbedding& e, double threshold,
                                        const ProtectOptions& options, const std::optional<Bytes>& nonce)
{
    ProtectionRecord record;
    record.width = original.width();
    record.height = original.height();
    record.bitDepth = original.bitDepth();
    record.region = prep.region;
    record.extraRegions = prep.extras;
    record.threshold = threshold;
    record.texture = e.texture;
    record.plan = e.plan;
    record.payloadBytes = static_cast<uint32_t>(prep.payloadBytes);
    record.originalSha256 = prep.originalSha256;
    record.headerDigest = options.headerDigest;
    record.scrambling = static_cast<uint8_t>(options.scrambling);
    MEDVEIL_ASSIGN_OR_RETURN(record.blockDigests,
                             blockDigests(e.marked, ProtectionRecord::kVersion, prep.keys.blocks));
    MEDVEIL_ASSIGN_OR_RETURN(const Bytes recordBytes, record.serialize());
    PublicProtectionInfo pub;
    pub.width = original.width();
    pub.height = original.height();
    pub.geometry = prep.geometry;
    pub.pixelsSha256Hex = hexEncode(sha256Pixels(e.marked));
    const Bytes aad = recordAad(prep.qrText, pub);
    MEDVEIL_ASSIGN_OR_RETURN(pub.sealedRecord,
                             nonce ? AesGcm::sealWithNonce(prep.keys.record, *nonce, recordBytes, aad)
                                   : AesGcm::seal(prep.keys.record, recordBytes, aad));
    return pub;
}

/// What a protection reports (quality and capacity are added by the caller).
ProtectReport describe(const Preparation& prep, const TextureEmbedding& e, double threshold,
                       Scrambling scrambling)
{
    ProtectReport report;
    report.region = prep.region;
    report.extraRegions = prep.extras;
    report.threshold = threshold;
    report.payloadBits = prep.bits.size();
    report.passes = e.plan.passes();
    report.textureBlocks = e.texture.textureBlockCount();
    report.embeddablePixels = e.embeddable;
    report.qrVersion = prep.geometry.version();
    report.qrEccLevel = prep.symbol.eccLevel;
    report.qrModuleSize = prep.moduleSize;
    report.scrambling = scrambling;
    return report;
}

/// Fresh random material for one protection (nonces left to AES-GCM).
Result<ProtectionEntropy> drawEntropy(const RsaKey& recipient)
{
    ProtectionEntropy entropy;
    MEDVEIL_ASSIGN_OR_RETURN(entropy.master, randomBytes(32));
    Bytes keyBlob;
    keyBlob.reserve(3 + entropy.master.size());
    keyBlob.push_back('M');
    keyBlob.push_back('V');
    keyBlob.push_back(kSealedKeyVersion);
    keyBlob.insert(keyBlob.end(), entropy.master.begin(), entropy.master.end());
    MEDVEIL_ASSIGN_OR_RETURN(entropy.sealedKey, recipient.encrypt(keyBlob));
    return entropy;
}

std::optional<Bytes> nonceOrRandom(const Bytes& nonce)
{
    return nonce.empty() ? std::nullopt : std::optional<Bytes>(nonce);
}

Result<ProtectedImage> protectAt(const Image& original, const RsaKey& recipient,
                                 const ProtectOptions& options, const JobControl& control,
                                 const ProtectionEntropy* fixedEntropy)
{
    control.report(0.0, "preparing");
    Result<ProtectionEntropy> drawn =
        fixedEntropy ? Result<ProtectionEntropy>(*fixedEntropy) : drawEntropy(recipient);
    if (!drawn)
        return drawn.error();
    const ProtectionEntropy& entropy = *drawn;
    QrContent content{options.info, entropy.sealedKey};
    auto prepared = prepare(original, content, options.region, entropy.master,
                            nonceOrRandom(entropy.payloadNonce), options.extraRegions, true);
    if (!prepared)
        return prepared.error();
    const Preparation& prep = *prepared;

    std::vector<double> thresholds;
    if (options.threshold)
        thresholds.push_back(*options.threshold);
    else
        thresholds.assign(std::begin(kAutoThresholds), std::end(kAutoThresholds));
    // The capacity at the chosen T (reported, not needed to protect): a trial embedding with the embedder's
    // own settings (coverage included) on the other core, started with the first T — the one chosen
    // unless the payload does not fit there — so that it runs beside the embedding itself.
    std::future<size_t> capacity;
    if (options.measureCapacity)
        capacity = startCapacityTrial(prep, thresholds.front(), options);
    std::optional<TextureEmbedding> chosen;
    double chosenThreshold = 0;
    size_t bestShortfallCapacity = 0;
    for (size_t i = 0; i < thresholds.size(); ++i) {
        if (control.cancelled())
            return makeError(ErrorKind::Cancelled, "cancelled");
        const double from = 0.1 + 0.6 * double(i) / double(thresholds.size());
        // Cancel reaches the embedder: a large region can take long at one threshold.
        auto embedding = embedAt(prep, thresholds[i], options.maxPasses, options.coverage, false,
                                 control.stage(from, from + 0.6 / double(thresholds.size())));
        if (!embedding)
            return embedding.error();
        if (embedding->plan.totalBits() == prep.bits.size()) {
            chosen = std::move(*embedding);
            chosenThreshold = thresholds[i];
            break;
        }
        bestShortfallCapacity = std::max(bestShortfallCapacity, embedding->plan.totalBits());
    }
    if (!chosen)
        return makeError(ErrorKind::Capacity, capacityMessage(prep.bits.size(), bestShortfallCapacity,
                                                              thresholds.back(), options.maxPasses));
    TextureEmbedding& e = *chosen;
    if (options.measureCapacity && chosenThreshold != thresholds.front())
        capacity = startCapacityTrial(prep, chosenThreshold, options);
    MEDVEIL_TRY(
        ProtectionStages::scrambleTextureBlocks(e.marked, e.texture, prep.keys.arnold, options.scrambling));
    control.report(0.8, "sealing");
    // PSNR/SSIM read the protected pixels, as the record's digests and hash do: measured on another core
    // while the record is sealed.
    std::future<Result<Fidelity>> quality;
    if (options.measureQuality)
        quality = alongside([&original, &marked = e.marked] { return fidelity(original, marked); });

    MEDVEIL_ASSIGN_OR_RETURN(
        const PublicProtectionInfo pub,
        sealRecord(original, prep, e, chosenThreshold, options, nonceOrRandom(entropy.recordNonce)));

    ProtectedImage out;
    out.metadata = pub.toMetadata();
    ProtectReport& report = out.report;
    report = describe(prep, e, chosenThreshold, options.scrambling);
    if (options.measureQuality) {
        control.report(0.9, "measuring");
        MEDVEIL_ASSIGN_OR_RETURN(const Fidelity figures, quality.get());
        report.psnr = figures.psnr;
        report.psnrPeak = figures.psnrPeak;
        report.psnrRange = figures.psnrRange;
        report.ssim = figures.ssim;
    }
    // Last: the trial runs on the other core until here.
    report.capacityBits = e.capacity = std::max(capacity.valid() ? capacity.get() : 0, e.plan.totalBits());
    out.image = std::move(e.marked);
    control.report(1.0, "done");
    return out;
}

} // namespace

Status checkPublicInfo(const InfoPairs& info)
{
    return QrCodec::checkInfo(info);
}

namespace {

Result<ProtectedImage> protectAny(const Image& original, const RsaKey& recipient,
                                  const ProtectOptions& options, const JobControl& control,
                                  const ProtectionEntropy* fixedEntropy)
{
    MEDVEIL_TRY(checkPublicInfo(options.info));
    if (options.region)
        return protectAt(original, recipient, options, control, fixedEntropy);
    // The automatic region: the best body block that holds its own payload. A block on the anatomy
    // compresses worse than one on background, so when the first does not fit the next-ranked body blocks
    // are tried (never air: the finder does not offer it) before giving up with the first one's figures.
    auto candidates = candidateRegions(original, options.info, recipient.bits());
    if (!candidates)
        return candidates.error();
    std::optional<Error> firstShortfall;
    std::vector<Rect> free; // automatic regions clear of the user's further regions
    for (const Rect& c : *candidates)
        if (std::none_of(options.extraRegions.begin(), options.extraRegions.end(),
                         [&](const Rect& r) { return r.intersects(c); }))
            free.push_back(c);
    if (free.empty())
        return makeError(ErrorKind::BadInput,
                         "the further regions leave no room for the automatic key region");
    const size_t tries = std::min<size_t>(free.size(), kAutoRegionTries);
    for (size_t i = 0; i < tries; ++i) {
        ProtectOptions at = options;
        at.region = free[i];
        auto result = protectAt(original, recipient, at, control, fixedEntropy);
        if (result || result.error().kind != ErrorKind::Capacity)
            return result;
        if (!firstShortfall)
            firstShortfall = result.error();
    }
    // The automatic region is never smaller than a QR code of 2-px modules needs (README); say so, and what
    // a user's own region could do, when that is what did not fit.
    const QrContent content{options.info, Bytes(size_t(recipient.bits() / 8), 0)};
    auto onePixel = QrCodec::minimumRegionSide(content, false);
    auto twoPixels = QrCodec::minimumRegionSide(content, true);
    const bool enlarged =
        free.front().width > KeyRegionFinder(0).blockSide(original.width(), original.height());
    if (onePixel && twoPixels && enlarged && free.front().width >= *twoPixels)
        firstShortfall->message += "; the automatic region (" + std::to_string(free.front().width) +
                                   " px) is the smallest that holds the QR code with modules of 2 px (" +
                                   std::to_string(*twoPixels) + " px for a " +
                                   std::to_string(recipient.bits()) +
                                   "-bit key); a smaller --region of at least " + std::to_string(*onePixel) +
                                   " px gets 1-px modules, which a phone may not read";
    return *firstShortfall;
}

} // namespace

Result<ProtectedImage> protect(const Image& original, const RsaKey& recipient, const ProtectOptions& options,
                               const JobControl& control)
{
    return protectAny(original, recipient, options, control, nullptr);
}

Result<ProtectedImage> protectWithEntropy(const Image& original, const RsaKey& recipient,
                                          const ProtectOptions& options, const ProtectionEntropy& entropy,
                                          const JobControl& control)
{
    if (entropy.master.size() != 32 || entropy.sealedKey.empty() ||
        (!entropy.payloadNonce.empty() && entropy.payloadNonce.size() != AesGcm::kNonceSize) ||
        (!entropy.recordNonce.empty() && entropy.recordNonce.size() != AesGcm::kNonceSize))
        return makeError(ErrorKind::BadInput, "the fixed protection entropy is malformed");
    return protectAny(original, recipient, options, control, &entropy);
}

namespace {

/// A protected image without its metadata (re-saved, converted) still shows its QR code.
Error missingProtectionData(const Image& image, const Error& original)
{
    if (QrCodec::scan(image).ok())
        return makeError(
            ErrorKind::Auth,
            "this image shows a MedVeil QR code but its protection data is gone: it was re-saved "
            "(for example as JPEG), converted or resized after protection, which destroys the hidden "
            "key region; use the original protected PNG");
    return original;
}

Result<PublicProtectionInfo> readPublicInfo(const Image& image,
                                            const std::map<std::string, std::string>& metadata)
{
    auto pub = PublicProtectionInfo::fromMetadata(metadata);
    if (!pub)
        return pub.error().kind == ErrorKind::BadInput ? missingProtectionData(image, pub.error())
                                                       : pub.error();
    if (pub->width != image.width() || pub->height != image.height())
        return makeError(ErrorKind::Auth, "the image was resized after protection (protected at " +
                                              std::to_string(pub->width) + "×" + std::to_string(pub->height) +
                                              ", now " + std::to_string(image.width()) + "×" +
                                              std::to_string(image.height()) + ")");
    return pub;
}

struct OpenedRecord
{
    Result<PublicProtectionInfo> pub;
    Result<QrContent> qr;
    Result<Subkeys> keys;
    Result<ProtectionRecord> record;
};

/// QR → sealed key → subkeys → the authenticated record (version 2 AAD, or version 1's with the pixels).
/// Errors: BadInput for an unprotected image, Auth for a wrong key or changed QR/metadata (and, for version 1
/// records, changed pixels).
Result<OpenedRecord> openRecord(const Image& protectedImage,
                                const std::map<std::string, std::string>& metadata, const RsaKey& privateKey)
{
    auto pub = readPublicInfo(protectedImage, metadata);
    if (!pub)
        return pub.error();
    std::string qrText;
    auto qr = QrCodec::read(protectedImage, pub->geometry, &qrText);
    if (!qr)
        return qr.error();
    auto keyBlob = privateKey.decrypt(qr->sealedKey);
    if (!keyBlob)
        return keyBlob.error();
    if (keyBlob->size() != 35 || (*keyBlob)[0] != 'M' || (*keyBlob)[1] != 'V' ||
        (*keyBlob)[2] != kSealedKeyVersion)
        return makeError(ErrorKind::Auth, "the sealed key has an unknown format");
    const Bytes master(keyBlob->begin() + 3, keyBlob->end());
    auto keys = deriveSubkeys(master);
    if (!keys)
        return keys.error();
    auto recordBytes = AesGcm::open(keys->record, pub->sealedRecord, recordAad(qrText, *pub));
    if (!recordBytes)
        recordBytes =
            AesGcm::open(keys->record, pub->sealedRecord, legacyRecordAad(protectedImage, qrText, *pub));
    if (!recordBytes)
        return makeError(
            ErrorKind::Auth,
            "the image was modified after protection (pixels, QR code or protection data changed)");
    auto record = ProtectionRecord::deserialize(*recordBytes);
    if (!record)
        return makeError(ErrorKind::Auth, record.error().message);
    return OpenedRecord{std::move(pub), std::move(qr), std::move(keys), std::move(record)};
}

/// Changed 8×8 blocks merged per 64×64 tile into their bounding rectangle (each ≤ 64×64).
std::vector<Rect> mergeBlocks(const std::vector<std::pair<int, int>>& blocks, int width, int height)
{
    std::map<std::pair<int, int>, Rect> tiles;
    for (const auto& [bx, by] : blocks) {
        const Rect block{bx * 8, by * 8, std::min(8, width - bx * 8), std::min(8, height - by * 8)};
        auto [it, inserted] = tiles.emplace(std::make_pair(bx / 8, by / 8), block);
        if (!inserted) {
            Rect& r = it->second;
            const int x1 = std::max(r.x + r.width, block.x + block.width),
                      y1 = std::max(r.y + r.height, block.y + block.height);
            r.x = std::min(r.x, block.x);
            r.y = std::min(r.y, block.y);
            r.width = x1 - r.x;
            r.height = y1 - r.y;
        }
    }
    std::vector<Rect> out;
    for (const auto& [tile, rect] : tiles)
        out.push_back(rect);
    return out;
}

} // namespace

Result<TamperReport> locateTampering(const Image& protectedImage,
                                     const std::map<std::string, std::string>& metadata,
                                     const RsaKey& privateKey)
{
    TamperReport report;
    auto opened = openRecord(protectedImage, metadata, privateKey);
    if (!opened) {
        // A wrong key says only that; anything else means the protection data (or, for old files, the
        // pixels) changed and no map can be trusted.
        if (opened.error().kind != ErrorKind::Auth ||
            opened.error().message.find("modified") == std::string::npos)
            return opened.error();
        report.metadataChanged = true;
        return report;
    }
    const Bytes& expected = opened->record->blockDigests;
    MEDVEIL_ASSIGN_OR_RETURN(const Bytes actual,
                             blockDigests(protectedImage, opened->record->version, opened->keys->blocks));
    if (expected.size() != actual.size()) {
        report.metadataChanged = true; // a record of an earlier release: no digests
        return report;
    }
    const int blocksX = (protectedImage.width() + 7) / 8;
    std::vector<std::pair<int, int>> changed;
    for (size_t i = 0; i + 1 < actual.size(); i += 2)
        if (actual[i] != expected[i] || actual[i + 1] != expected[i + 1])
            changed.emplace_back(int(i / 2) % blocksX, int(i / 2) / blocksX);
    report.changedBlocks = changed.size();
    report.regions = mergeBlocks(changed, protectedImage.width(), protectedImage.height());
    const Rect& qrRegion = opened->pub->geometry.region;
    for (const Rect& r : report.regions)
        report.qrChanged = report.qrChanged || r.intersects(qrRegion);
    return report;
}

Result<RecoveredImage> recover(const Image& protectedImage,
                               const std::map<std::string, std::string>& metadata, const RsaKey& privateKey,
                               const JobControl& control, const Bytes& headerDigest,
                               const Bytes& legacyHeaderDigest)
{
    control.report(0.0, "reading QR code");
    auto opened = openRecord(protectedImage, metadata, privateKey);
    if (!opened)
        return opened.error();
    auto& [pub, qr, keys, record] = *opened;
    // Version 2 records open after a pixel change: the pixels are checked here, against the authenticated
    // public hash (locateTampering() names the changed blocks).
    if (!constantTimeEqual(toBytes(hexEncode(sha256Pixels(protectedImage))), toBytes(pub->pixelsSha256Hex)))
        return makeError(ErrorKind::Auth, "the image was modified after protection (pixels changed)");
    if (record->width != protectedImage.width() || record->height != protectedImage.height() ||
        record->bitDepth != protectedImage.bitDepth() || !(record->region == pub->geometry.region))
        return makeError(ErrorKind::Auth, "the protection record does not match this image");
    const bool headerMatches =
        constantTimeEqual(record->headerDigest, headerDigest) ||
        (!legacyHeaderDigest.empty() && constantTimeEqual(record->headerDigest, legacyHeaderDigest));
    if (!record->headerDigest.empty() && !headerMatches)
        return makeError(ErrorKind::Auth,
                         headerDigest.empty()
                             ? "this protection was made in a DICOM file; recover the DICOM file"
                             : "the DICOM header was modified after protection");
    if (record->headerDigest.empty() && !headerDigest.empty() && record->version >= 2)
        return makeError(ErrorKind::Auth, "this protection was not made in a DICOM file: the DICOM header "
                                          "around it was added afterwards");
    if (control.cancelled())
        return makeError(ErrorKind::Cancelled, "cancelled");

    const std::vector<Rect> recordRegions = record->regions();
    control.report(0.3, "unscrambling");
    Image work = protectedImage.clone();
    MEDVEIL_TRY(ProtectionStages::scrambleTextureBlocks(work, record->texture, keys->arnold,
                                                        static_cast<Scrambling>(record->scrambling), true));
    control.report(0.5, "extracting");
    const PredictionErrorExpander expander = ProtectionStages::expanderFor(
        record->texture, recordRegions, work.width(), work.height(), record->plan.passes(),
        ProtectOptions{}.coverage); // extraction follows the plan; the coverage only shaped embedding
    MEDVEIL_ASSIGN_OR_RETURN(const std::vector<uint8_t> bits, expander.extract(work, record->plan));
    control.report(0.8, "restoring key region");
    MEDVEIL_TRY(ProtectionStages::openRegions(bitsToBytes(bits), keys->payload, work, recordRegions));
    RecoveredImage out;
    out.identical = constantTimeEqual(sha256Pixels(work), record->originalSha256);
    if (!out.identical)
        return makeError(ErrorKind::Auth, "the restored image does not match the original's sealed SHA-256");
    out.image = std::move(work);
    out.info = qr->info;
    out.region = record->region;
    out.extraRegions = record->extraRegions;
    out.scrambling = static_cast<Scrambling>(record->scrambling);
    out.headerVerified = !record->headerDigest.empty();
    control.report(1.0, "done");
    return out;
}

Result<InspectReport> inspect(const Image& protectedImage, const std::map<std::string, std::string>& metadata)
{
    InspectReport report;
    auto pub = PublicProtectionInfo::fromMetadata(metadata);
    if (!pub) {
        if (pub.error().kind != ErrorKind::BadInput)
            return pub.error();
        auto text = QrCodec::scan(protectedImage);
        if (!text)
            return pub.error();
        auto content = QrCodec::parse(*text);
        if (!content)
            return content.error();
        report.info = content->info;
        report.problem = "the protection data is missing: the image was re-saved, converted or resized";
        return report;
    }
    report.hasProtectionData = true;
    report.region = pub->geometry.region;
    report.qrVersion = pub->geometry.version();
    if (pub->width != protectedImage.width() || pub->height != protectedImage.height()) {
        report.problem = "the image was resized after protection";
        return report;
    }
    auto qr = QrCodec::read(protectedImage, pub->geometry);
    if (!qr) {
        report.problem = qr.error().message;
        return report;
    }
    report.info = qr->info;
    report.intact = hexEncode(sha256Pixels(protectedImage)) == pub->pixelsSha256Hex;
    if (!report.intact)
        report.problem = "pixels changed since protection";
    return report;
}

namespace {

/// One row of sweep(): the prepared payload embedded at `threshold` with the capacity trial, scrambled as
/// protect() scrambles, and measured against the original.
Result<SweepRow> sweepRow(const Image& original, const Preparation& prep, double threshold,
                          const JobControl& control)
{
    MEDVEIL_ASSIGN_OR_RETURN(TextureEmbedding e, embedAt(prep, threshold, ProtectOptions{}.maxPasses,
                                                         ProtectOptions{}.coverage, true, control));
    MEDVEIL_TRY(
        ProtectionStages::scrambleTextureBlocks(e.marked, e.texture, prep.keys.arnold, Scrambling::Arnold));
    SweepRow row;
    row.threshold = threshold;
    row.payloadBits = prep.bits.size();
    row.capacityBits = e.capacity;
    row.fits = e.plan.totalBits() == prep.bits.size();
    row.passes = e.plan.passes();
    MEDVEIL_ASSIGN_OR_RETURN(const Fidelity figures, fidelity(original, e.marked));
    row.psnr = figures.psnr;
    row.psnrPeak = figures.psnrPeak;
    row.psnrRange = figures.psnrRange;
    row.ssim = figures.ssim;
    return row;
}

} // namespace

Result<std::vector<SweepRow>> sweep(const Image& original, const std::vector<double>& thresholds,
                                    const std::optional<Rect>& region, const InfoPairs& info,
                                    const JobControl& control)
{
    // Deterministic stand-ins for the random key and the RSA-2048 ciphertext: the same QR size and
    // payload size as a real protection, and the same numbers on every run.
    Bytes seed = original.pixelBytes();
    const std::string label = "MedVeil sweep";
    seed.insert(seed.end(), label.begin(), label.end());
    const Bytes master = sha256(seed);
    auto dummyCiphertext = aesCtrKeystream(master, 256);
    if (!dummyCiphertext)
        return dummyCiphertext.error();
    const Bytes masterHash = sha256(master);
    auto prepared = prepare(original, QrContent{info, *dummyCiphertext}, region, master,
                            Bytes(masterHash.begin(), masterHash.begin() + AesGcm::kNonceSize));
    if (!prepared)
        return prepared.error();
    // The thresholds are independent (each embeds into its own copy of the prepared image): one worker per
    // core takes the next threshold until none is left, the calling thread among them. Each row lands in its
    // own slot, so the rows come back in threshold order and equal those of a serial loop bit for bit.
    const size_t count = thresholds.size();
    std::vector<std::optional<Result<SweepRow>>> results(count);
    std::atomic<size_t> next{0};
    std::atomic<bool> failed{false}; // a row failed: take no further thresholds (the slots taken end first)
    std::mutex progressMutex;        // the sink sees one call at a time, fractions rising
    size_t finished = 0;
    JobControl rowControl; // cancel only: rows finish out of order, progress is counted per finished row
    rowControl.cancel = control.cancel;
    auto work = [&] {
        for (size_t i = next.fetch_add(1); i < count && !failed; i = next.fetch_add(1)) {
            results[i] = control.cancelled() ? Result<SweepRow>(makeError(ErrorKind::Cancelled, "cancelled"))
                                             : sweepRow(original, *prepared, thresholds[i], rowControl);
            if (!*results[i])
                failed = true;
            const std::lock_guard lock(progressMutex);
            ++finished;
            control.report(double(finished) / double(count), "sweeping");
        }
    };
    control.report(0.0, "sweeping");
    const size_t workers = std::min<size_t>(count, std::max(1u, std::thread::hardware_concurrency()));
    std::vector<std::thread> helpers;
    for (size_t w = 1; w < workers; ++w) {
        try {
            helpers.emplace_back(work);
        } catch (const std::system_error&) {
            break; // no thread to be had: the workers there are (the calling thread at least) do it all
        }
    }
    work();
    for (std::thread& helper : helpers)
        helper.join();
    if (control.cancelled())
        return makeError(ErrorKind::Cancelled, "cancelled");
    std::vector<SweepRow> rows;
    rows.reserve(count);
    for (auto& result : results) {
        if (!result) // only after a failed row, which an earlier slot holds and returns
            return makeError(ErrorKind::Internal, "a sweep row was not computed");
        if (!*result)
            return result->error(); // the first failing threshold's, as a serial loop would stop there
        rows.push_back(**result);
    }
    control.report(1.0, "done");
    return rows;
}

Result<std::vector<Rect>> candidateRegions(const Image& original, const InfoPairs& info, int rsaBits)
{
    MEDVEIL_TRY(checkImage(original));
    auto minSide = minimumAutomaticSide(original, QrContent{info, Bytes(size_t(rsaBits / 8), 0xA5)});
    if (!minSide)
        return minSide.error();
    auto candidates = KeyRegionFinder(*minSide).candidates(original);
    if (!candidates)
        return candidates.error();
    std::vector<Rect> out;
    for (const auto& c : *candidates)
        out.push_back(c.rect);
    return out;
}

} // namespace medveil::KeyRegionProtector
