// SPDX-License-Identifier: GPL-3.0-or-later
#include "emr/CipherAnalysis.h"

#include "crypto/Digest.h"
#include "emr/LscChaoticCipher.h"
#include "metrics/ImageMetrics.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <numbers>
#include <string>

namespace medveil {

double upperNormalQuantile(double p)
{
    // Acklam's approximation of the lower quantile x = Φ⁻¹(p) (relative error < 1.2e-9) …
    static constexpr double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,  -2.759285104469687e+02,
                                   1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
    static constexpr double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                                   6.680131188771972e+01, -1.328068155288572e+01};
    static constexpr double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                                   -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
    static constexpr double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                                   3.754408661907416e+00};
    if (!(p > 0 && p < 1))
        return std::numeric_limits<double>::quiet_NaN();
    constexpr double low = 0.02425;
    double x = 0;
    if (p < low) {
        const double q = std::sqrt(-2 * std::log(p));
        x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
            ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    } else if (p <= 1 - low) {
        const double q = p - 0.5, r = q * q;
        x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
            (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
    } else {
        const double q = std::sqrt(-2 * std::log(1 - p));
        x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
            ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }
    // … refined by one Halley step on Φ(x) = erfc(−x/√2)/2.
    const double e = 0.5 * std::erfc(-x / std::numbers::sqrt2) - p;
    const double u = e * std::sqrt(2 * std::numbers::pi) * std::exp(x * x / 2);
    x = x - u / (1 + x * u / 2);
    return -x;
}

int binomialLowerQuantile(int n, double p, double tail)
{
    double cdf = 0;
    for (int k = 0; k <= n; ++k) {
        const double logPmf = std::lgamma(n + 1.0) - std::lgamma(k + 1.0) - std::lgamma(n - k + 1.0) +
                              k * std::log(p) + (n - k) * std::log1p(-p);
        cdf += std::exp(logPmf);
        if (cdf > tail)
            return k;
    }
    return n;
}

NpcrUaciCritical npcrUaciCritical(size_t pixels, int bits, double alpha)
{
    const double f = std::pow(2.0, bits) - 1;
    const double mn = double(pixels);
    NpcrUaciCritical c;
    c.npcr = 100.0 * (f - upperNormalQuantile(alpha) * std::sqrt(f / mn)) / (f + 1);
    const double mu = (f + 2) / (3 * f + 3);
    const double sigma = std::sqrt((f + 2) * (f * f + 2 * f + 3) / (18 * (f + 1) * (f + 1) * mn * f));
    const double z = upperNormalQuantile(alpha / 2);
    c.uaciLow = 100.0 * (mu - z * sigma);
    c.uaciHigh = 100.0 * (mu + z * sigma);
    return c;
}

double histogramChiSquare(const Image& image)
{
    const auto bins = histogram(image);
    const double expected = double(image.pixelCount()) / double(bins.size());
    double chi = 0;
    for (uint64_t count : bins)
        chi += (double(count) - expected) * (double(count) - expected) / expected;
    return chi;
}

double chiSquareCritical(int bits)
{
    const double k = std::pow(2.0, bits) - 1;
    const double z = upperNormalQuantile(0.05);
    const double t = 1 - 2 / (9 * k) + z * std::sqrt(2 / (9 * k));
    return k * t * t * t;
}

Result<CipherAnalysis> analyseCipher(const Image& plain, const Bytes& key, LscCipherVersion version)
{
    CipherAnalysis a;
    a.width = plain.width();
    a.height = plain.height();
    a.bits = plain.bitDepth();
    const Bytes hash = sha256(plain.pixelBytes());
    const auto start = std::chrono::steady_clock::now();
    auto cipher = LscChaoticCipher::encrypt(plain, key, hash, version);
    a.encryptMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    if (!cipher)
        return cipher.error();

    Image changed = plain.clone();
    const int cx = plain.width() / 2, cy = plain.height() / 2;
    changed.set(cx, cy, (plain.at(cx, cy) + 1) % (plain.maxValue() + 1));
    auto cipher2 = LscChaoticCipher::encrypt(changed, key, sha256(changed.pixelBytes()), version);
    if (!cipher2)
        return cipher2.error();
    a.critical = npcrUaciCritical(plain.pixelCount(), a.bits);
    MEDVEIL_ASSIGN_OR_RETURN(a.npcr, npcr(*cipher, *cipher2));
    MEDVEIL_ASSIGN_OR_RETURN(a.uaci, uaci(*cipher, *cipher2));
    a.npcrPass = a.npcr >= a.critical.npcr;
    a.uaciPass = a.uaci >= a.critical.uaciLow && a.uaci <= a.critical.uaciHigh;

    Bytes flipped = key;
    flipped[0] ^= 0x01;
    auto cipher3 = LscChaoticCipher::encrypt(plain, flipped, hash, version);
    auto wrong = LscChaoticCipher::decrypt(*cipher, flipped, hash, version);
    if (!cipher3 || !wrong)
        return makeError(ErrorKind::Internal, "cipher analysis failed");
    MEDVEIL_ASSIGN_OR_RETURN(a.keyNpcr, npcr(*cipher, *cipher3));
    MEDVEIL_ASSIGN_OR_RETURN(a.keyUaci, uaci(*cipher, *cipher3));
    MEDVEIL_ASSIGN_OR_RETURN(a.wrongKeyNpcr, npcr(plain, *wrong));
    MEDVEIL_ASSIGN_OR_RETURN(a.wrongKeyPsnr, psnr(plain, *wrong));

    a.entropyPlain = entropy(plain);
    a.entropyCipher = entropy(*cipher);
    a.entropyIdeal =
        a.bits - (std::pow(2.0, a.bits) - 1) / (2.0 * double(plain.pixelCount()) * std::numbers::ln2);
    a.chiSquarePlain = histogramChiSquare(plain);
    a.chiSquareCipher = histogramChiSquare(*cipher);
    a.chiSquareCritical = chiSquareCritical(a.bits);
    a.chiSquarePass = a.chiSquareCipher < a.chiSquareCritical;
    const Direction directions[3] = {Direction::Horizontal, Direction::Vertical, Direction::Diagonal};
    for (int d = 0; d < 3; ++d) {
        a.corrPlain[d] = adjacentCorrelation(plain, directions[d]);
        a.corrCipher[d] = adjacentCorrelation(*cipher, directions[d]);
    }
    return a;
}

namespace {

Bytes studyDigest(uint64_t seed, const std::string& what, int index)
{
    return sha256(toBytes("MedVeil cipher analysis|" + std::to_string(seed) + "|" + what + "|" +
                          std::to_string(index)));
}

uint32_t u32At(const Bytes& b, size_t at)
{
    return uint32_t(b[at]) << 24 | uint32_t(b[at + 1]) << 16 | uint32_t(b[at + 2]) << 8 | uint32_t(b[at + 3]);
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    const size_t n = v.size();
    return n == 0 ? 0 : n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

DiffusionRow summarise(const std::string& maps, const std::vector<double>& npcrs,
                       const std::vector<double>& uacis, const std::vector<bool>& npcrPass,
                       const std::vector<bool>& uaciPass, double alpha)
{
    DiffusionRow row;
    row.maps = maps;
    row.pairs = int(npcrs.size());
    row.npcrMedian = median(npcrs);
    row.uaciMedian = median(uacis);
    if (!npcrs.empty()) {
        row.npcrMin = *std::min_element(npcrs.begin(), npcrs.end());
        row.npcrMax = *std::max_element(npcrs.begin(), npcrs.end());
        row.uaciMin = *std::min_element(uacis.begin(), uacis.end());
        row.uaciMax = *std::max_element(uacis.begin(), uacis.end());
    }
    for (size_t i = 0; i < npcrs.size(); ++i) {
        row.npcrPassing += npcrPass[i];
        row.uaciPassing += uaciPass[i];
        row.bothPassing += npcrPass[i] && uaciPass[i];
    }
    row.minimumPassing = binomialLowerQuantile(row.pairs, 1 - alpha, 0.01);
    row.pass = row.npcrPassing >= row.minimumPassing && row.uaciPassing >= row.minimumPassing;
    return row;
}

} // namespace

Result<CipherReport> analyseCipherReport(const std::vector<Image>& images, const CipherStudyOptions& options)
{
    if (images.empty())
        return makeError(ErrorKind::Usage, "the cipher analysis needs at least one image");
    if (options.pairs < 1 || !(options.alpha > 0 && options.alpha < 0.5))
        return makeError(ErrorKind::Usage, "the cipher analysis needs ≥ 1 pair and 0 < α < 0.5");
    CipherReport report;
    report.options = options;
    std::vector<Bytes> hashes;
    for (const Image& image : images) {
        if (image.empty() || (image.bitDepth() != 8 && image.bitDepth() != 16))
            return makeError(ErrorKind::BadInput, "the cipher analysis takes 8- or 16-bit images");
        report.critical.push_back(npcrUaciCritical(image.pixelCount(), image.bitDepth(), options.alpha));
        hashes.push_back(sha256(image.pixelBytes()));
    }
    MEDVEIL_ASSIGN_OR_RETURN(
        report.first, analyseCipher(images.front(), studyDigest(options.seed, "key", -1), options.version));
    std::vector<double> paperNpcr, paperUaci, sameNpcr, sameUaci;
    std::vector<bool> paperNpcrPass, paperUaciPass, sameNpcrPass, sameUaciPass;
    for (int i = 0; i < options.pairs; ++i) {
        const Bytes key = studyDigest(options.seed, "key", i), choice = studyDigest(options.seed, "pixel", i);
        CipherPair pair;
        pair.image = int(u32At(choice, 0) % images.size());
        const Image& plain = images[size_t(pair.image)];
        pair.x = int(u32At(choice, 4) % uint32_t(plain.width()));
        pair.y = int(u32At(choice, 8) % uint32_t(plain.height()));
        pair.bit = int(choice[12] % plain.bitDepth());
        Image changed = plain.clone();
        changed.set(pair.x, pair.y, plain.at(pair.x, pair.y) ^ (1 << pair.bit));
        const Bytes& hash = hashes[size_t(pair.image)];
        MEDVEIL_ASSIGN_OR_RETURN(const Image cipher,
                                 LscChaoticCipher::encrypt(plain, key, hash, options.version));
        MEDVEIL_ASSIGN_OR_RETURN(
            const Image ownMaps,
            LscChaoticCipher::encrypt(changed, key, sha256(changed.pixelBytes()), options.version));
        MEDVEIL_ASSIGN_OR_RETURN(const Image sameMaps,
                                 LscChaoticCipher::encrypt(changed, key, hash, options.version));
        MEDVEIL_ASSIGN_OR_RETURN(pair.paperNpcr, npcr(cipher, ownMaps));
        MEDVEIL_ASSIGN_OR_RETURN(pair.paperUaci, uaci(cipher, ownMaps));
        MEDVEIL_ASSIGN_OR_RETURN(pair.sameNpcr, npcr(cipher, sameMaps));
        MEDVEIL_ASSIGN_OR_RETURN(pair.sameUaci, uaci(cipher, sameMaps));
        const NpcrUaciCritical& c = report.critical[size_t(pair.image)];
        auto uaciOk = [&](double u) { return u >= c.uaciLow && u <= c.uaciHigh; };
        paperNpcr.push_back(pair.paperNpcr);
        paperUaci.push_back(pair.paperUaci);
        sameNpcr.push_back(pair.sameNpcr);
        sameUaci.push_back(pair.sameUaci);
        paperNpcrPass.push_back(pair.paperNpcr >= c.npcr);
        paperUaciPass.push_back(uaciOk(pair.paperUaci));
        sameNpcrPass.push_back(pair.sameNpcr >= c.npcr);
        sameUaciPass.push_back(uaciOk(pair.sameUaci));
        report.pairs.push_back(pair);
    }
    report.paper =
        summarise("plaintext-seeded", paperNpcr, paperUaci, paperNpcrPass, paperUaciPass, options.alpha);
    report.sameMaps = summarise("same", sameNpcr, sameUaci, sameNpcrPass, sameUaciPass, options.alpha);
    return report;
}

} // namespace medveil
