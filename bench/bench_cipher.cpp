// SPDX-License-Identifier: GPL-3.0-or-later
// LSC chaotic cipher benchmark: median encrypt and decrypt time of real 512×512 and 256×256 images for the
// current cipher version and version 1 (earlier releases), with AES-256-GCM over the same bytes in the same
// run as the baseline, and the process CPU time per encryption (both cores' work: what a loaded machine
// cannot hide). Prints one JSON object: per-image figures under "images", and under "rows" the row of issue
// #28's table that bench/run.sh collects (bench/targets.json: "LSC cipher 512²", the 512² 8-bit MRI's
// encryption) with AES-256-GCM over the same bytes as the run's reference point.
// Usage: bench_cipher [CORPUS_DIR] [RUNS]
#include "BenchSupport.h"
#include "core/ProcessSetup.h"
#include "crypto/AesGcm.h"
#include "crypto/Digest.h"
#include "emr/LscChaoticCipher.h"
#include "io/ImageIo.h"

#include <nlohmann/json.hpp>
#include <opencv2/imgproc.hpp>

#include <cstdio>
#include <ctime>
#include <iostream>

using namespace medveil;
using namespace medveil::bench;

namespace {

/// Process CPU time (all threads) per call of `fn`, in ms, over `runs` calls.
template <typename Fn> double cpuMsPerCall(int runs, Fn&& fn)
{
    auto cpuNow = [] {
        timespec t{};
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
        return double(t.tv_sec) * 1e3 + double(t.tv_nsec) / 1e6;
    };
    const double start = cpuNow();
    for (int i = 0; i < runs; ++i)
        fn();
    return (cpuNow() - start) / runs;
}

/// The 1-minute load average: timings on a busy machine are not a quiet run's.
double loadAverage()
{
    double load = -1;
    if (FILE* f = std::fopen("/proc/loadavg", "r")) {
        if (std::fscanf(f, "%lf", &load) != 1)
            load = -1;
        std::fclose(f);
    }
    return load;
}

} // namespace

int main(int argc, char** argv)
{
    medveil::prepareProcessForEngine(); // as medveil and medveil-cli do
    const std::string corpus = argc > 1 ? argv[1] : MEDVEIL_CORPUS_DIR;
    const int runs = argc > 2 ? std::atoi(argv[2]) : 21;
    const Image mri = *readImage(corpus + "/mri_colin_axial_z160_512.png");
    cv::Mat half;
    cv::resize(mri.mat(), half, cv::Size(256, 256), 0, 0, cv::INTER_AREA);
    const Image ct16 = *readImage(corpus + "/ct_small_512_16.png");
    const Bytes key = *randomBytes(32);
    nlohmann::json images = nlohmann::json::array();
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& [name, image] : {std::pair<std::string, Image>{"mri 512x512 8-bit", mri},
                                      {"mri 256x256 8-bit", *Image::fromMat(half)},
                                      {"ct 512x512 16-bit", ct16}}) {
        const Bytes hash = sha256(image.pixelBytes());
        const auto current = LscChaoticCipher::kCurrentVersion, first = LscCipherVersion::V1;
        const Image cipher = *LscChaoticCipher::encrypt(image, key, hash, current);
        const double encryptMs =
            medianMs(runs, [&] { (void)LscChaoticCipher::encrypt(image, key, hash, current); });
        const double decryptMs =
            medianMs(runs, [&] { (void)LscChaoticCipher::decrypt(cipher, key, hash, current); });
        const double encryptCpuMs =
            cpuMsPerCall(runs, [&] { (void)LscChaoticCipher::encrypt(image, key, hash, current); });
        const double v1EncryptMs =
            medianMs(runs, [&] { (void)LscChaoticCipher::encrypt(image, key, hash, first); });
        const double v1EncryptCpuMs =
            cpuMsPerCall(runs, [&] { (void)LscChaoticCipher::encrypt(image, key, hash, first); });
        const Bytes bytes = image.pixelBytes();
        const double aesMs = medianMs(runs, [&] { (void)AesGcm::seal(key, bytes); });
        const double hashMs = medianMs(runs, [&] { (void)sha256(bytes); });
        if (name == "mri 512x512 8-bit") {
            rows.push_back(
                {{"name", "LSC cipher 512²"},
                 {"value", encryptMs},
                 {"cpu_ms", encryptCpuMs},
                 {"unit", "ms"},
                 {"target", 3},
                 {"op", "<="},
                 {"source", "encryption of the 512² 8-bit MRI, cipher version " +
                                std::to_string(int(current)) + ", median of " + std::to_string(runs)}});
            rows.push_back({{"name", "AES-256-GCM of the LSC cipher's 512² bytes"},
                            {"value", aesMs},
                            {"unit", "ms"},
                            {"reference", true}});
        }
        images.push_back({{"image", name},
                          {"cipher_version", int(current)},
                          {"encrypt_ms", encryptMs},
                          {"decrypt_ms", decryptMs},
                          {"encrypt_cpu_ms", encryptCpuMs},
                          {"v1_encrypt_ms", v1EncryptMs},
                          {"v1_encrypt_cpu_ms", v1EncryptCpuMs},
                          {"aes_256_gcm_ms", aesMs},
                          {"sha256_ms", hashMs},
                          {"encrypt_over_aes_gcm", encryptMs / aesMs}});
    }
    std::cout
        << nlohmann::json{{"benchmark", "lsc_cipher"},     {"runs", runs},     {"target_encrypt_512_ms", 3},
                          {"load_average", loadAverage()}, {"images", images}, {"rows", rows},
                          {"peak_rss_mib", peakRssMiB()}}
               .dump(2)
        << std::endl;
    return 0;
}
