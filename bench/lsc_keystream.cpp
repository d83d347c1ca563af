// SPDX-License-Identifier: GPL-3.0-or-later
// Writes the LSC cipher's diffusion keystream to stdout as raw bytes, for outside statistical test
// suites: lsc_keystream MEGABYTES [SEED_HEX] | dieharder -a -g 200
// With MEGABYTES = 0 it streams until the reader closes the pipe.
#include "crypto/Digest.h"
#include "emr/LscChaoticCipher.h"

#include <cstdio>
#include <cstdlib>
#include <string>

using namespace medveil;

int main(int argc, char** argv)
{
    const long megabytes = argc > 1 ? std::atol(argv[1]) : 100;
    const std::string seed = argc > 2 ? argv[2] : "MedVeil dieharder";
    // The cipher draws its maps from HKDF(key, SHA-256 of the plain image); emulate one long image.
    LscMap map(sha256(toBytes(seed + " x0")), sha256(toBytes(seed + " perturb")));
    std::vector<uint8_t> buffer(1 << 20);
    for (long i = 0; megabytes == 0 || i < megabytes; ++i) {
        map.fill(buffer.data(), buffer.size());
        if (std::fwrite(buffer.data(), 1, buffer.size(), stdout) != buffer.size())
            return 0; // reader closed the pipe
    }
    return 0;
}
