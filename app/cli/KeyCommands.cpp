// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/CliSupport.h"
#include "workflow/KeyPairFiles.h"

#include <iostream>

namespace medveil::cli {

namespace {

Result<int> parseBits(const std::optional<std::string>& value)
{
    if (!value)
        return 2048;
    try {
        size_t used = 0;
        const int bits = std::stoi(*value, &used);
        if (used == value->size())
            return bits;
    } catch (const std::exception&) {
    }
    return makeError(ErrorKind::Usage, "--bits needs a whole number");
}

Result<int> runKeygen(const ParsedArgs& args)
{
    const auto start = Clock::now();
    workflow::KeyPairRequest request;
    MEDVEIL_ASSIGN_OR_RETURN(request.bits, parseBits(args.value("--bits")));
    if (request.bits < RsaKey::kMinimumBits)
        return makeError(ErrorKind::Usage, "--bits must be at least 2048");
    MEDVEIL_ASSIGN_OR_RETURN(request.passphrase, passphraseOption(args));
    if (auto file = args.value("--passphrase-file"))
        request.inputs = {*file};
    request.allowWeakPassphrase = args.flag("--allow-weak-passphrase");
    request.privatePath = *args.value("--private");
    request.publicPath = *args.value("--public");
    request.replaceExisting = args.flag("--force");
    request.replaceAdvice = "use --force to replace it";
    if (!request.passphrase)
        std::cerr << "medveil-cli: warning: the private key is written without a passphrase; anyone who can "
                     "read '"
                  << request.privatePath.string()
                  << "' can open every file protected for it (use --passphrase-file or --passphrase-fd)\n";
    MEDVEIL_ASSIGN_OR_RETURN(const workflow::CreatedKeyPair pair, workflow::createKeyPair(request));
    if (args.flag("--json"))
        printJson({{"private", request.privatePath.string()},
                   {"public", request.publicPath.string()},
                   {"bits", pair.bits},
                   {"encrypted", request.passphrase.has_value()},
                   {"fingerprint", hexEncode(pair.fingerprint)},
                   {"ms", msSince(start)}});
    return 0;
}

} // namespace

std::vector<Command> keyCommands()
{
    const Command keygen{
        .name = "keygen",
        .usage =
            "keygen --private PRIV.pem --public PUB.pem [--bits N] [--passphrase-file F | --passphrase-fd N]"
            " [--allow-weak-passphrase] [--force] [--json]",
        .summary = "Create an RSA key pair (default 2048 bits, never fewer).",
        .details =
            R"txt(The private key is written as PKCS#8 PEM with mode 0600, encrypted with AES-256 under the
passphrase in the first line of F when --passphrase-file is given (F must be readable by you
only, like a key) or of what descriptor N delivers with --passphrase-fd (0 = stdin). The
passphrase needs 12 characters or more (--allow-weak-passphrase accepts a shorter one, for
demonstrations) and at most 1024 bytes. --json prints the public-key fingerprint (SHA-256
of the DER public key). Existing files are never replaced unless --force is given: the new
pair then replaces the old one only once both files are complete, and the old pair stays on
any failure. Without a passphrase a warning goes to stderr.)txt",
        .spec = {.valueOptions = {"--private", "--public", "--bits", "--passphrase-file", "--passphrase-fd"},
                 .flags = {"--json", "--force", "--allow-weak-passphrase"},
                 .requiredOptions = {"--private", "--public"},
                 .outputOptions = {"--private", "--public"}},
        .run = runKeygen};
    return {keygen};
}

} // namespace medveil::cli
