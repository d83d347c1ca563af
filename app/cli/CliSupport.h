// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cli/ArgParser.h"
#include "core/Result.h"
#include "crypto/RsaKey.h"
#include "io/ImageIo.h"
#include "keyregion/KeyRegionProtector.h"
#include "workflow/TrustedSenders.h"

#include "core/Progress.h"

#include <nlohmann/json.hpp>

#include <chrono>

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace medveil::cli {

/// One `medveil-cli` command: its usage line, help text, accepted arguments and handler.
struct Command
{
    std::string name{};
    std::string usage{};
    std::string summary{};
    std::string details{};
    CommandSpec spec{};
    /// The exit code of a run that succeeded (0, or batch's count of failures), or the error that ends it:
    /// runMedveilCli() prints that error once and exits with its code.
    std::function<Result<int>(const ParsedArgs&)> run{};
    /// A command with sub-commands (`dicom echo`, `dicom find`, …): the first argument picks one of these by
    /// name (`run` and `spec` are unused then); each has its own usage (starting with the parent's name),
    /// options and handler, and `--help` lists them.
    std::vector<Command> subcommands{};
};

/// All commands, in the order --help lists them.
std::vector<Command> allCommands();
std::vector<Command> keyCommands();
std::vector<Command> metricsCommands();
std::vector<Command> keyRegionCommands();
std::vector<Command> emrCommands();
/// `dicom`: DICOM networking, its sub-commands gathered from the groups in dicomCommand() (CliSupport.cpp).
Command dicomCommand();
/// `dicom echo|find|get|send`: the PACS client (DicomNetworkCommands.cpp).
std::vector<Command> dicomNetworkCommands();
/// `dicom serve`: the protecting DICOM node (DicomServeCommand.cpp).
Command dicomServeCommand();

/// protect's options (--region, --threshold, --max-passes, --scramble, --info), shared with `dicom serve`.
Result<ProtectOptions> protectOptions(const ParsedArgs& args);

/// Prints "medveil-cli: error: …" on stderr and returns the error's exit code.
int reportError(const Error& error);

/// One JSON object on stdout followed by a newline.
void printJson(const nlohmann::json& object);

/// A metric value for JSON: numbers as numbers, +infinity as the string "inf" (CLI.md).
nlohmann::json metricJson(double value);

/// Progress lines on stderr for slow commands (only when stderr is a terminal or MEDVEIL_PROGRESS=1).
void reportProgress(double fraction, std::string_view stage);

/// A JobControl that reports progress with reportProgress().
JobControl cliProgress();

using Clock = std::chrono::steady_clock;
/// Milliseconds since `start` (the "ms" of the JSON outputs).
double msSince(Clock::time_point start);

/// The passphrase of `PREFIX-passphrase-file F` or `PREFIX-passphrase-fd N` (N = 0: stdin), nullopt
/// when neither is given; both at once is a usage error. `prefix` is "--" or "--sign-". The file or
/// descriptor rules are crypto/KeyFile.h's (a file others may read is refused).
Result<std::optional<std::string>> passphraseOption(const ParsedArgs& args, const std::string& prefix = "--");

Result<RsaKey> loadPublicKey(const std::string& path);

/// The private key of --private with the passphrase of --passphrase-file / --passphrase-fd.
Result<RsaKey> loadPrivateKey(const ParsedArgs& args);

/// The sender's private key of --sign [--sign-passphrase-file F | --sign-passphrase-fd N] (nullopt without
/// --sign).
Result<std::optional<RsaKey>> loadSigningKey(const ParsedArgs& args);
/// The trusted sender's public key of --verify (nullopt without --verify).
Result<std::optional<RsaKey>> loadTrustedSender(const ParsedArgs& args);
/// What recover and emr-open require of a file's signer: --verify SENDER_PUB.pem (that key),
/// --verify-trusted (any sender of the user's trusted-sender list, workflow/TrustedSenders.h) or nothing.
struct SenderCheck
{
    workflow::SignerRequirement requirement;
    std::optional<workflow::TrustedSenderList> trusted; ///< the list read for --verify-trusted

    /// The trusted sender's name for the signer a workflow reported (only with --verify-trusted).
    [[nodiscard]] std::optional<std::string> senderName(const std::optional<Bytes>& fingerprint) const;
};
/// Usage when both --verify and --verify-trusted are given; BadInput for an unreadable or malformed list.
Result<SenderCheck> loadSenderCheck(const ParsedArgs& args);
/// ", signed by NAME (trusted sender, HEX)", ", signed by HEX" or ", not signed" for the text outputs.
std::string signerText(const SenderCheck& check, const std::optional<Bytes>& fingerprint);
/// "trusted_sender" for JSON: the name, or null.
nlohmann::json trustedSenderJson(const SenderCheck& check, const std::optional<Bytes>& fingerprint);

/// "signed_by" for JSON: the hex fingerprint, or null for an unsigned file.
nlohmann::json signerJson(const std::optional<Bytes>& fingerprint);

} // namespace medveil::cli
