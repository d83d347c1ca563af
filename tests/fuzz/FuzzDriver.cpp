// SPDX-License-Identifier: GPL-3.0-or-later
// Runs LLVMFuzzerTestOneInput without libFuzzer: the target's seeds (real MedVeil structures, real
// DICOM files), then random and mutated inputs (bit flips, truncation, insertions, splices) for a fixed
// time with a fixed seed. A crash or an abort() fails the test. Usage: fuzz_driver [SECONDS] [SEED]
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

int main(int argc, char** argv)
{
    const double seconds = argc > 1 ? std::atof(argv[1]) : 10.0;
    std::mt19937 rng(argc > 2 ? static_cast<unsigned>(std::atoi(argv[2])) : 20261121u);
    const auto corpus = fuzzSeeds();
    const auto start = std::chrono::steady_clock::now();
    long runs = 0;
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
    std::printf("fuzz_driver: %ld inputs in %.1f s, no crash\n", runs, seconds);
    return 0;
}
