// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/CliSupport.h"
#include "workflow/FileWorkflows.h"

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
    return commands;
}

int reportError(const Error& error)
{
    std::cerr << "medveil-cli: error: " << error.message << '\n';
    return error.exitCode();
}

void printJson(const nlohmann::json& object)
{
    std::cout << object.dump(2) << std::endl;
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

Result<std::string> readPassphraseFile(const std::string& path)
{
    auto bytes = readFileBytes(path);
    if (!bytes)
        return makeError(ErrorKind::BadInput, "cannot read the passphrase file: " + bytes.error().message);
    std::string text(bytes->begin(), bytes->end());
    if (const auto eol = text.find_first_of("\r\n"); eol != std::string::npos)
        text.resize(eol);
    return text;
}

Result<RsaKey> loadPublicKey(const std::string& path)
{
    return loadKeyFile(path, KeyRole::Public);
}

Result<RsaKey> loadPrivateKey(const std::string& path, const std::optional<std::string>& passphraseFile)
{
    std::optional<std::string> passphrase;
    if (passphraseFile) {
        MEDVEIL_ASSIGN_OR_RETURN(passphrase, readPassphraseFile(*passphraseFile));
    }
    return loadKeyFile(path, KeyRole::Private, passphrase);
}

Result<std::optional<RsaKey>> loadSigningKey(const ParsedArgs& args)
{
    const auto path = args.value("--sign");
    if (!path)
        return std::optional<RsaKey>();
    MEDVEIL_ASSIGN_OR_RETURN(RsaKey key, loadPrivateKey(*path, args.value("--sign-passphrase-file")));
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
