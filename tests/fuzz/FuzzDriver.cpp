// SPDX-License-Identifier: GPL-3.0-or-later
// Runs LLVMFuzzerTestOneInput without libFuzzer: the target's seeds (real MedVeil structures, real
// DICOM files), then random and mutated inputs (bit flips, truncation, insertions, splices). A crash or an
// abort() fails the test. Usage: fuzz_driver [SECONDS] [SEED ...]
// With seeds: each seed runs for SECONDS. Without: the fixed seeds 1, 7, 40 (two of them crashed the QR
// reader once) and 20261121 run for SECONDS/5 each, then one random seed (printed, so a failure can be
// replayed) for the rest.
#include "core/Bytes.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

using namespace medveil;

/// The target's starting inputs (defined next to its LLVMFuzzerTestOneInput).
std::vector<medveil::Bytes> fuzzSeeds();

namespace {

long fuzzFor(double seconds, unsigned seed, const std::vector<Bytes>& corpus)
{
    std::printf("fuzz_driver: seed %u for %.1f s\n", seed, seconds);
    std::fflush(stdout); // the seed must be on record if the next input kills the process
    std::mt19937 rng(seed);
    const auto start = std::chrono::steady_clock::now();
    long runs = 0;
    for (const Bytes& input : corpus) // every seed input as it is, first
        LLVMFuzzerTestOneInput(input.data(), input.size());
    while (std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() < seconds) {
        Bytes input;
        if (rng() % 4 == 0) {
            input.resize(rng() % 600);
            for (auto& b : input)
                b = static_cast<uint8_t>(rng());
        } else {
            input = corpus[rng() % corpus.size()];
            const int mutations = 1 + int(rng() % 8);
            for (int m = 0; m < mutations && !input.empty(); ++m) {
                switch (rng() % 4) {
                case 0:
                    input[1 + rng() % (input.size() > 1 ? input.size() - 1 : 1) % input.size()] ^=
                        static_cast<uint8_t>(1u << (rng() % 8));
                    break;
                case 1:
                    input.resize(1 + rng() % input.size());
                    break;
                case 2:
                    input.insert(input.begin() + 1 + std::ptrdiff_t(rng() % input.size()),
                                 static_cast<uint8_t>(rng()));
                    break;
                default: {
                    const Bytes& other = corpus[rng() % corpus.size()];
                    input.insert(input.end(), other.begin() + 1, other.end());
                }
                }
            }
        }
        LLVMFuzzerTestOneInput(input.data(), input.size());
        ++runs;
    }
    return runs;
}

} // namespace

int main(int argc, char** argv)
{
    const double seconds = argc > 1 ? std::atof(argv[1]) : 10.0;
    const auto corpus = fuzzSeeds();
    long runs = 0;
    if (argc > 2) {
        for (int i = 2; i < argc; ++i)
            runs += fuzzFor(seconds, static_cast<unsigned>(std::strtoul(argv[i], nullptr, 10)), corpus);
    } else {
        for (unsigned seed : {1u, 7u, 40u, 20261121u})
            runs += fuzzFor(seconds / 5, seed, corpus);
        runs += fuzzFor(seconds / 5, std::random_device{}(), corpus);
    }
    std::printf("fuzz_driver: %ld inputs, no crash\n", runs);
    return 0;
}
