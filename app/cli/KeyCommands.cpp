// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/CliSupport.h"
#include "io/AtomicFile.h"

#include <chrono>
#include <filesystem>
#include <iostream>

namespace medveil::cli {

namespace {

int runKeygen(const ParsedArgs& args)
{
    const auto start = std::chrono::steady_clock::now();
    int bits = 2048;
    if (auto value = args.value("--bits")) {
        try {
            size_t used = 0;
            bits = std::stoi(*value, &used);
            if (used != value->size())
                throw std::invalid_argument("trailing");
        } catch (const std::exception&) {
            return reportError(makeError(ErrorKind::Usage, "--bits needs a whole number"));
        }
        if (bits < RsaKey::kMinimumBits)
            return reportError(makeError(ErrorKind::Usage, "--bits must be at least 2048"));
    }
    std::optional<std::string> passphrase;
    if (auto file = args.value("--passphrase-file")) {
        auto pass = readPassphraseFile(*file);
        if (!pass)
            return reportError(pass.error());
        if (pass->empty())
            return reportError(makeError(ErrorKind::BadInput, "the passphrase file is empty"));
        passphrase = *pass;
    }
    const std::string privatePath = *args.value("--private");
    const std::string publicPath = *args.value("--public");
    if (privatePath == publicPath)
        return reportError(makeError(ErrorKind::Usage, "--private and --public must be different files"));
    // A key written over is every image protected for it lost: existing files need --force.
    if (!args.flag("--force"))
        for (const auto& path : {privatePath, publicPath})
            if (std::error_code ec;
                std::filesystem::exists(path, ec) || std::filesystem::is_symlink(path, ec))
                return reportError(
                    makeError(ErrorKind::BadInput, "'" + path +
                                                       "' exists; keygen never writes over a key file "
                                                       "(use --force to replace it)"));
    if (!passphrase)
        std::cerr << "medveil-cli: warning: the private key is written without a passphrase; anyone who can "
                     "read '"
                  << privatePath << "' can open every file protected for it (use --passphrase-file)\n";

    auto key = RsaKey::generate(bits);
    if (!key)
        return reportError(key.error());
    auto privatePem = key->privatePem(passphrase);
    auto publicPem = key->publicPem();
    if (!privatePem || !publicPem)
        return reportError(!privatePem ? privatePem.error() : publicPem.error());
    const std::vector<std::filesystem::path> inputs =
        passphrase ? std::vector<std::filesystem::path>{*args.value("--passphrase-file")}
                   : std::vector<std::filesystem::path>{};
    if (auto status = writeFileAtomically(privatePath, toBytes(*privatePem), inputs, FileMode::Private);
        !status)
        return reportError(status.error());
    if (auto status = writeFileAtomically(publicPath, toBytes(*publicPem), inputs); !status) {
        std::filesystem::remove(privatePath); // never leave half a key pair behind
        return reportError(status.error());
    }
    if (args.flag("--json")) {
        const auto ms =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
        printJson({{"private", privatePath},
                   {"public", publicPath},
                   {"bits", key->bits()},
                   {"encrypted", passphrase.has_value()},
                   {"fingerprint", hexEncode(*key->fingerprint())},
                   {"ms", ms}});
    }
    return 0;
}

} // namespace

std::vector<Command> keyCommands()
{
    Command keygen;
    keygen.name = "keygen";
    keygen.usage =
        "keygen --private PRIV.pem --public PUB.pem [--bits N] [--passphrase-file F] [--force] [--json]";
    keygen.summary = "Create an RSA key pair (default 2048 bits, never fewer).";
    keygen.details =
        "The private key is written as PKCS#8 PEM with mode 0600, encrypted with AES-256 under the\n"
        "passphrase in the first line of F when --passphrase-file is given. --json prints the\n"
        "public-key fingerprint (SHA-256 of the DER public key). Existing files are never replaced\n"
        "unless --force is given; without a passphrase a warning goes to stderr.";
    keygen.spec.valueOptions = {"--private", "--public", "--bits", "--passphrase-file"};
    keygen.spec.requiredOptions = {"--private", "--public"};
    keygen.spec.flags = {"--json", "--force"};
    keygen.spec.outputOptions = {"--private", "--public"};
    keygen.run = runKeygen;
    return {keygen};
}

} // namespace medveil::cli
