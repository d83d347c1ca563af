// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/CliSupport.h"
#include "workflow/FileWorkflows.h"

#include "core/DisplayText.h"
#include "crypto/KeyFile.h"
#include "io/AtomicFile.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <unistd.h>

namespace medveil::cli {

std::vector<Command> allCommands()
{
    std::vector<Command> commands;
    for (auto group : {keyCommands(), keyRegionCommands(), emrCommands(), metricsCommands()})
        commands.insert(commands.end(), group.begin(), group.end());
    commands.push_back(dicomCommand());
    return commands;
}

Command dicomCommand()
{
    Command dicom{.name = "dicom",
                  .usage = "dicom SUBCOMMAND [OPTIONS]",
                  .summary = "DICOM networking: talk to a PACS or another DICOM node."};
    // The table of sub-commands: one group per source file; a new group is one more entry here.
    for (auto group : {dicomNetworkCommands(), std::vector<Command>{dicomServeCommand()}})
        dicom.subcommands.insert(dicom.subcommands.end(), group.begin(), group.end());
    return dicom;
}

int reportError(const Error& error)
{
    // Messages quote file names and QR text, which can hold escape codes: shown escaped.
    std::cerr << "medveil-cli: error: " << displaySafe(error.message) << '\n';
    return error.exitCode();
}

void printJson(const nlohmann::json& object)
{
    // Strings from files are made displaySafe() where they are put in; invalid UTF-8 that slips through
    // becomes U+FFFD rather than an exception.
    std::cout << object.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << std::endl;
}

nlohmann::json metricJson(double value)
{
    if (std::isinf(value))
        return value > 0 ? "inf" : "-inf";
    if (std::isnan(value))
        return nullptr;
    return value;
}

void reportProgress(double fraction, std::string_view stage)
{
    static const bool enabled = ::isatty(STDERR_FILENO) || std::getenv("MEDVEIL_PROGRESS") != nullptr;
    if (enabled)
        std::cerr << "[" << static_cast<int>(std::lround(fraction * 100)) << "%] " << stage << std::endl;
}

JobControl cliProgress()
{
    JobControl control;
    control.progress = reportProgress;
    return control;
}

double msSince(Clock::time_point start)
{
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

Result<std::optional<std::string>> passphraseOption(const ParsedArgs& args, const std::string& prefix)
{
    const auto file = args.value(prefix + "passphrase-file"), fd = args.value(prefix + "passphrase-fd");
    if (file && fd)
        return makeError(ErrorKind::Usage,
                         prefix + "passphrase-file and " + prefix + "passphrase-fd cannot be used together");
    if (file) {
        MEDVEIL_ASSIGN_OR_RETURN(std::string passphrase, readPassphraseFile(*file));
        return std::optional<std::string>(std::move(passphrase));
    }
    if (!fd)
        return std::optional<std::string>();
    const bool number = !fd->empty() && fd->size() <= 9 &&
                        std::all_of(fd->begin(), fd->end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!number)
        return makeError(ErrorKind::Usage,
                         prefix + "passphrase-fd needs a file descriptor number (0 = stdin)");
    MEDVEIL_ASSIGN_OR_RETURN(std::string passphrase, readPassphraseFd(std::stoi(*fd)));
    return std::optional<std::string>(std::move(passphrase));
}

Result<RsaKey> loadPublicKey(const std::string& path)
{
    return loadKeyFile(path, KeyRole::Public);
}

Result<RsaKey> loadPrivateKey(const ParsedArgs& args)
{
    MEDVEIL_ASSIGN_OR_RETURN(const std::optional<std::string> passphrase, passphraseOption(args));
    return loadKeyFile(*args.value("--private"), KeyRole::Private, passphrase);
}

Result<std::optional<RsaKey>> loadSigningKey(const ParsedArgs& args)
{
    const auto path = args.value("--sign");
    if (!path)
        return std::optional<RsaKey>();
    MEDVEIL_ASSIGN_OR_RETURN(const std::optional<std::string> passphrase, passphraseOption(args, "--sign-"));
    MEDVEIL_ASSIGN_OR_RETURN(RsaKey key, loadKeyFile(*path, KeyRole::Private, passphrase));
    return std::optional<RsaKey>(std::move(key));
}

Result<std::optional<RsaKey>> loadTrustedSender(const ParsedArgs& args)
{
    const auto path = args.value("--verify");
    if (!path)
        return std::optional<RsaKey>();
    MEDVEIL_ASSIGN_OR_RETURN(RsaKey key, loadPublicKey(*path));
    return std::optional<RsaKey>(std::move(key));
}

Result<SenderCheck> loadSenderCheck(const ParsedArgs& args)
{
    if (!args.flag("--verify-trusted")) {
        MEDVEIL_ASSIGN_OR_RETURN(std::optional<RsaKey> key, loadTrustedSender(args));
        return SenderCheck{workflow::SignerRequirement(std::move(key)), std::nullopt};
    }
    if (args.value("--verify"))
        return makeError(ErrorKind::Usage, "--verify and --verify-trusted exclude each other");
    MEDVEIL_ASSIGN_OR_RETURN(const std::filesystem::path path, workflow::TrustedSenderList::defaultPath());
    MEDVEIL_ASSIGN_OR_RETURN(workflow::TrustedSenderList list, workflow::TrustedSenderList::load(path));
    return SenderCheck{workflow::SignerRequirement(list), std::move(list)};
}

std::optional<std::string> SenderCheck::senderName(const std::optional<Bytes>& fingerprint) const
{
    if (!trusted || !fingerprint)
        return std::nullopt;
    const workflow::TrustedSender* sender = trusted->find(*fingerprint);
    return sender ? std::optional<std::string>(sender->name) : std::nullopt;
}

std::string signerText(const SenderCheck& check, const std::optional<Bytes>& fingerprint)
{
    if (!fingerprint)
        return ", not signed";
    if (const auto name = check.senderName(fingerprint))
        return ", signed by " + *name + " (trusted sender, " + hexEncode(*fingerprint) + ")";
    return ", signed by " + hexEncode(*fingerprint);
}

nlohmann::json trustedSenderJson(const SenderCheck& check, const std::optional<Bytes>& fingerprint)
{
    const auto name = check.senderName(fingerprint);
    return name ? nlohmann::json(*name) : nlohmann::json(nullptr);
}

nlohmann::json signerJson(const std::optional<Bytes>& fingerprint)
{
    return fingerprint ? nlohmann::json(hexEncode(*fingerprint)) : nlohmann::json(nullptr);
}

} // namespace medveil::cli
