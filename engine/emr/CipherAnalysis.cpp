// SPDX-License-Identifier: GPL-3.0-or-later
#include "emr/CipherAnalysis.h"

#include "crypto/Digest.h"
#include "emr/LscChaoticCipher.h"
#include "metrics/ImageMetrics.h"

#include <chrono>
#include <cmath>

namespace medveil {

namespace {
/// Upper standard normal quantile z with P(Z > z) = p, for the few p the tests use (Acklam's rational
/// approximation would be overkill here).
double upperNormalQuantile(double p)
{
    if (std::abs(p - 0.05) < 1e-12)
        return 1.6448536269514722;
    if (std::abs(p - 0.025) < 1e-12)
        return 1.959963984540054;
    if (std::abs(p - 0.005) < 1e-12)
        return 2.5758293035489004;
    if (std::abs(p - 0.0025) < 1e-12)
        return 2.807033768343811;
    return 1.6448536269514722;
}
} // namespace

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

Result<CipherAnalysis> analyseCipher(const Image& plain, const Bytes& key)
{
    CipherAnalysis a;
    a.width = plain.width();
    a.height = plain.height();
    a.bits = plain.bitDepth();
    const Bytes hash = sha256(plain.pixelBytes());
    const auto start = std::chrono::steady_clock::now();
    auto cipher = LscChaoticCipher::encrypt(plain, key, hash);
    a.encryptMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    if (!cipher)
        return cipher.error();

    Image changed = plain.clone();
    const int cx = plain.width() / 2, cy = plain.height() / 2;
    changed.set(cx, cy, (plain.at(cx, cy) + 1) % (plain.maxValue() + 1));
    auto cipher2 = LscChaoticCipher::encrypt(changed, key, sha256(changed.pixelBytes()));
    if (!cipher2)
        return cipher2.error();
    a.critical = npcrUaciCritical(plain.pixelCount(), a.bits);
    MEDVEIL_ASSIGN_OR_RETURN(a.npcr, npcr(*cipher, *cipher2));
    MEDVEIL_ASSIGN_OR_RETURN(a.uaci, uaci(*cipher, *cipher2));
    a.npcrPass = a.npcr >= a.critical.npcr;
    a.uaciPass = a.uaci >= a.critical.uaciLow && a.uaci <= a.critical.uaciHigh;

    Bytes flipped = key;
    flipped[0] ^= 0x01;
    auto cipher3 = LscChaoticCipher::encrypt(plain, flipped, hash);
    auto wrong = LscChaoticCipher::decrypt(*cipher, flipped, hash);
    if (!cipher3 || !wrong)
        return makeError(ErrorKind::Internal, "cipher analysis failed");
    MEDVEIL_ASSIGN_OR_RETURN(a.keyNpcr, npcr(*cipher, *cipher3));
    MEDVEIL_ASSIGN_OR_RETURN(a.keyUaci, uaci(*cipher, *cipher3));
    MEDVEIL_ASSIGN_OR_RETURN(a.wrongKeyNpcr, npcr(plain, *wrong));
    MEDVEIL_ASSIGN_OR_RETURN(a.wrongKeyPsnr, psnr(plain, *wrong));

    a.entropyPlain = entropy(plain);
    a.entropyCipher = entropy(*cipher);
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

} // namespace medveil
