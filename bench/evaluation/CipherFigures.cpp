// SPDX-License-Identifier: GPL-3.0-or-later
// The logistic-sine-cosine cipher's classic figures on a real MRI slice: plain vs cipher histograms,
// horizontal/vertical/diagonal adjacent-pixel scatter plots, and the key-sensitivity panel (one key bit
// flipped; decryption with the wrong key). The numeric table comes from cipher_analysis_table.
#include "Chart.h"
#include "Evaluation.h"

#include "crypto/Digest.h"
#include "emr/LscChaoticCipher.h"
#include "io/ImageIo.h"
#include "metrics/ImageMetrics.h"

#include <opencv2/imgproc.hpp>

#include <iostream>
#include <random>

namespace medveil::evaluation {

namespace {

std::vector<cv::Point2i> adjacentPairs(const Image& image, int dx, int dy, int count)
{
    std::mt19937 rng(2011);
    std::uniform_int_distribution<int> xs(0, image.width() - 1 - dx), ys(0, image.height() - 1 - dy);
    std::vector<cv::Point2i> pairs;
    for (int i = 0; i < count; ++i) {
        const int x = xs(rng), y = ys(rng);
        pairs.emplace_back(image.at(x, y), image.at(x + dx, y + dy));
    }
    return pairs;
}

std::vector<double> histogramOf(const Image& image)
{
    const auto h = histogram(image);
    return std::vector<double>(h.begin(), h.end());
}

std::string fixed(double v, int decimals)
{
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals, v);
    return buffer;
}

} // namespace

nlohmann::json evaluateCipherFigures(const Paths& paths)
{
    std::cerr << "cipher figures…\n";
    const std::string name = "mri_colin_axial_z160_512";
    const Image plain = *readImage(paths.corpus / (name + ".png"));
    const Bytes key = sha256(toBytes("MedVeil cipher analysis key"));
    Bytes flipped = key;
    flipped[0] ^= 0x01;
    const Bytes hash = sha256(plain.pixelBytes());
    const Image cipher = *LscChaoticCipher::encrypt(plain, key, hash);
    const Image cipherFlipped = *LscChaoticCipher::encrypt(plain, flipped, hash);
    const Image wrong = *LscChaoticCipher::decrypt(cipher, flipped, hash, LscChaoticCipher::kCurrentVersion);
    const Image right = *LscChaoticCipher::decrypt(cipher, key, hash, LscChaoticCipher::kCurrentVersion);

    writeFigure(
        paths.out / "fig_cipher_histograms.png",
        captionedRow(
            {{"", histogramChart("Plain MRI slice", "grey level", {{"plain", histogramOf(plain)}})},
             {"", histogramChart("LSC cipher image", "grey level", {{"cipher", histogramOf(cipher)}})}}));

    const struct
    {
        const char* label;
        int dx, dy;
        Direction direction;
    } directions[] = {{"horizontal", 1, 0, Direction::Horizontal},
                      {"vertical", 0, 1, Direction::Vertical},
                      {"diagonal", 1, 1, Direction::Diagonal}};
    std::vector<cv::Mat> rows;
    nlohmann::json correlations = nlohmann::json::object();
    for (const Image* image : {&plain, &cipher}) {
        std::vector<std::pair<std::string, cv::Mat>> tiles;
        const std::string which = image == &plain ? "plain" : "cipher";
        for (const auto& d : directions) {
            const double r = adjacentCorrelation(*image, d.direction);
            correlations[which][d.label] = r;
            tiles.push_back({"", scatterChart(which + " " + d.label + ", r = " + fixed(r, 4), "pixel (x, y)",
                                              "neighbour", adjacentPairs(*image, d.dx, d.dy, 5000), 255)});
        }
        rows.push_back(captionedRow(tiles));
    }
    writeFigure(paths.out / "fig_cipher_correlation.png", stackRows(rows));

    const double keyNpcr = *npcr(cipher, cipherFlipped), keyUaci = *uaci(cipher, cipherFlipped);
    const double wrongPsnr = *psnr(plain, wrong), wrongNpcr = *npcr(plain, wrong);
    cv::Mat difference;
    cv::absdiff(cipher.mat(), cipherFlipped.mat(), difference);
    writeFigure(
        paths.out / "fig_cipher_key_sensitivity.png",
        captionedRow(
            {{"plain", displayImage(plain)},
             {"cipher, key K", displayImage(cipher)},
             {"cipher, K with bit 0 flipped", displayImage(cipherFlipped)},
             {"|difference|: NPCR " + fixed(keyNpcr, 2) + " %", difference},
             {"decrypted with the flipped key: " + fixed(wrongPsnr, 2) + " dB", displayImage(wrong)},
             {std::string("decrypted with K: ") + (right.identicalTo(plain) ? "identical" : "DIFFERS"),
              displayImage(right)}},
            256));
    return {{"image", name},
            {"key", "SHA-256(\"MedVeil cipher analysis key\"), bit 0 flipped for K'"},
            {"correlation", correlations},
            {"key_bit_npcr", keyNpcr},
            {"key_bit_uaci", keyUaci},
            {"wrong_key_psnr", wrongPsnr},
            {"wrong_key_npcr", wrongNpcr},
            {"decrypt_identical", right.identicalTo(plain)},
            {"figures",
             {{"histograms", "fig_cipher_histograms.png"},
              {"correlation", "fig_cipher_correlation.png"},
              {"key_sensitivity", "fig_cipher_key_sensitivity.png"}}}};
}

} // namespace medveil::evaluation
