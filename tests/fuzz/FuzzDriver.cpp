// SPDX-License-Identifier: GPL-3.0-or-later
// Runs a target's LLVMFuzzerTestOneInput without libFuzzer (the plain and the sanitize builds' ctest): every
// input of the target's committed corpus (tests/fuzz/corpus/<target>/: real MedVeil structures, real files
// and the inputs of past findings), then mutants of them (bit flips, boundary values, truncation,
// insertions, splices) and random bytes. A crash, an abort() or a sanitizer report fails the test; so does
// a missing or empty corpus. Usage: fuzz_<target>_driver CORPUS_DIR [SECONDS] [SEED ...]
// With seeds: each seed runs for SECONDS. Without: the fixed seeds 1, 7, 40 and 20261121 run for SECONDS/5
// each, then one random seed (printed, so that a failure can be replayed) for the rest.
#include "core/Bytes.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

using namespace medveil;

namespace {

std::vector<Bytes> readCorpus(const std::filesystem::path& dir)
{
    std::vector<std::filesystem::path> files;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(dir, error))
        if (entry.is_regular_file())
            files.push_back(entry.path());
    std::sort(files.begin(), files.end()); // the same order on every machine: a seed replays exactly
    std::vector<Bytes> corpus;
    for (const auto& file : files) {
        std::ifstream in(file, std::ios::binary);
        corpus.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    return corpus;
}

/// One mutation of `input` (which may be empty); every index is taken modulo the current size.
void mutate(Bytes& input, const std::vector<Bytes>& corpus, std::mt19937& rng)
{
    static constexpr uint32_t kBoundaries[] = {0,      1,      0x7F,       0x80,        0xFF,       0x7FFF,
                                               0x8000, 0xFFFF, 0x7FFFFFFF, 0x80000000u, 0xFFFFFFFFu};
    switch (rng() % 5) {
    case 0: // bit flip
        if (!input.empty())
            input[rng() % input.size()] ^= static_cast<uint8_t>(1u << (rng() % 8));
        break;
    case 1: // a boundary value over 1, 2 or 4 bytes (lengths, counts, offsets)
        if (!input.empty()) {
            const uint32_t value = kBoundaries[rng() % std::size(kBoundaries)];
            const size_t width = size_t(1) << (rng() % 3), at = rng() % input.size();
            for (size_t k = 0; k < width && at + k < input.size(); ++k)
                input[at + k] = static_cast<uint8_t>(value >> (8 * k));
        }
        break;
    case 2: // truncation
        input.resize(input.empty() ? 0 : rng() % input.size());
        break;
    case 3: // insertion
        input.insert(input.begin() + std::ptrdiff_t(rng() % (input.size() + 1)), static_cast<uint8_t>(rng()));
        break;
    default: { // splice: a piece of another corpus input
        const Bytes& other = corpus[rng() % corpus.size()];
        const size_t from = other.empty() ? 0 : rng() % other.size();
        const size_t length = other.size() - from == 0 ? 0 : 1 + rng() % (other.size() - from);
        input.insert(input.begin() + std::ptrdiff_t(rng() % (input.size() + 1)),
                     other.begin() + std::ptrdiff_t(from), other.begin() + std::ptrdiff_t(from + length));
    }
    }
}

long fuzzFor(double seconds, unsigned seed, const std::vector<Bytes>& corpus)
{
    std::printf("fuzz_driver: seed %u for %.1f s\n", seed, seconds);
    std::fflush(stdout); // the seed must be on record if the next input kills the process
    std::mt19937 rng(seed);
    const auto start = std::chrono::steady_clock::now();
    long runs = 0;
    for (const Bytes& input : corpus) { // every corpus input as it is, first
        LLVMFuzzerTestOneInput(input.data(), input.size());
        ++runs;
    }
    while (std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() < seconds) {
        Bytes input;
        if (rng() % 8 == 0) {
            input.resize(rng() % 600);
            for (auto& b : input)
                b = static_cast<uint8_t>(rng());
        } else {
            input = corpus[rng() % corpus.size()];
            const int mutations = 1 + int(rng() % 8);
            for (int m = 0; m < mutations; ++m)
                mutate(input, corpus, rng);
        }
        LLVMFuzzerTestOneInput(input.data(), input.size());
        ++runs;
    }
    return runs;
}

} // namespace

int main(int argc, char** argv)
{
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s CORPUS_DIR [SECONDS] [SEED ...]\n", argv[0]);
        return 1;
    }
    const auto corpus = readCorpus(argv[1]);
    if (corpus.empty()) { // a fuzzer without its seeds only tests the first few bytes of a format
        std::fprintf(stderr, "fuzz_driver: no corpus inputs in '%s'\n", argv[1]);
        return 2;
    }
    const double seconds = argc > 2 ? std::atof(argv[2]) : 10.0;
    long runs = 0;
    if (argc > 3) {
        for (int i = 3; i < argc; ++i)
            runs += fuzzFor(seconds, static_cast<unsigned>(std::strtoul(argv[i], nullptr, 10)), corpus);
    } else {
        for (unsigned seed : {1u, 7u, 40u, 20261121u})
            runs += fuzzFor(seconds / 5, seed, corpus);
        runs += fuzzFor(seconds / 5, std::random_device{}(), corpus);
    }
    std::printf("fuzz_driver: %zu corpus inputs, %ld inputs, no crash\n", corpus.size(), runs);
    return 0;
}
