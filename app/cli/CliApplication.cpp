// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/CliApplication.h"

#include "cli/CliSupport.h"
#include "core/Version.h"
#include "io/ImageIo.h"

#include <filesystem>
#include <iostream>

namespace medveil::cli {

namespace {

void printUsage(const std::vector<Command>& commands)
{
    std::cout << "Usage: medveil-cli COMMAND [OPTIONS]\n\n"
                 "Protects medical images (key-region QR + reversible data hiding, Li et al. 2020) and\n"
                 "the records that travel with them.\n\nCommands:\n";
    for (const auto& command : commands) {
        if (command.subcommands.empty())
            std::cout << "  " << command.usage << "\n      " << command.summary << "\n";
        for (const auto& sub : command.subcommands)
            std::cout << "  " << sub.usage << "\n      " << sub.summary << "\n";
    }
    std::cout
        << "\nGlobal options:\n  --help       this text (or: medveil-cli COMMAND --help)\n"
           "  --version    print the version\n"
           "  --max-pixels N  (after COMMAND) decode images of up to N pixels (default 64000000)\n\n"
           "Exit codes: 0 success, 1 usage error, 2 bad input, 3 authentication failure (wrong key,\n"
           "modified file), 4 payload does not fit, 5 internal error. On failure no output file is left.\n";
}

void printCommandHelp(const Command& command)
{
    std::cout << "Usage: medveil-cli " << command.usage << "\n\n" << command.summary << "\n";
    if (!command.subcommands.empty()) {
        std::cout << "\nSub-commands (medveil-cli " << command.name << " SUBCOMMAND --help for each):\n";
        for (const auto& sub : command.subcommands)
            std::cout << "  " << sub.usage << "\n      " << sub.summary << "\n";
    }
    if (!command.details.empty())
        std::cout << "\n" << command.details << "\n";
}

/// Restores the decoder's pixel limit when a run ends (`--max-pixels` is per run, also in-process).
class PixelLimitScope
{
public:
    PixelLimitScope() : m_saved(maxPixels()) {}
    ~PixelLimitScope() { setMaxPixels(m_saved); }
    PixelLimitScope(const PixelLimitScope&) = delete;
    PixelLimitScope& operator=(const PixelLimitScope&) = delete;

private:
    uint64_t m_saved;
};

/// One command with its arguments `rest`; a command with sub-commands hands them to the one named first.
int runCommand(const Command& command, std::vector<std::string> rest)
{
    if (!command.subcommands.empty()) {
        if (rest.empty() || rest[0] == "--help" || rest[0] == "-h") {
            printCommandHelp(command);
            return rest.empty() ? 1 : 0;
        }
        for (const auto& sub : command.subcommands)
            if (sub.name == rest[0])
                return runCommand(sub, std::vector<std::string>(rest.begin() + 1, rest.end()));
        reportError(makeError(ErrorKind::Usage, "unknown sub-command '" + command.name + " " + rest[0] +
                                                    "' (see medveil-cli " + command.name + " --help)"));
        return 1;
    }
    // --max-pixels N applies to every reader of every command: taken out before the command parses.
    for (size_t i = 0; i < rest.size(); ++i) {
        if (rest[i] != "--max-pixels")
            continue;
        uint64_t limit = 0;
        size_t used = 0;
        try {
            limit = i + 1 < rest.size() ? std::stoull(rest[i + 1], &used) : 0;
        } catch (const std::exception&) {
        }
        if (limit == 0 || i + 1 >= rest.size() || used != rest[i + 1].size())
            return reportError(makeError(ErrorKind::Usage, "--max-pixels needs a positive whole number"));
        setMaxPixels(limit);
        rest.erase(rest.begin() + long(i), rest.begin() + long(i) + 2);
        --i;
    }
    for (const auto& arg : rest)
        if (arg == "--help" || arg == "-h") {
            printCommandHelp(command);
            return 0;
        }
    auto parsed = ParsedArgs::parse(rest, command.spec);
    if (!parsed) {
        reportError(parsed.error());
        std::cerr << "usage: medveil-cli " << command.usage << "\n";
        return 1;
    }
    if (auto status = parsed->checkOutputs(command.spec); !status)
        return reportError(status.error());
    const Result<int> exitCode = command.run(*parsed);
    return exitCode ? *exitCode : reportError(exitCode.error());
}

int runCommandLine(const std::vector<std::string>& args)
{
    const PixelLimitScope limit;
    const auto commands = allCommands();
    if (args.empty()) {
        printUsage(commands);
        return 1;
    }
    if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
        if (args.size() > 1) {
            for (const auto& command : commands)
                if (command.name == args[1]) {
                    printCommandHelp(command);
                    return 0;
                }
            return reportError(makeError(ErrorKind::Usage, "unknown command '" + args[1] + "'"));
        }
        printUsage(commands);
        return 0;
    }
    if (args[0] == "--version") {
        std::cout << "medveil-cli " << kVersion << "\n";
        return 0;
    }
    for (const auto& command : commands)
        if (command.name == args[0])
            return runCommand(command, std::vector<std::string>(args.begin() + 1, args.end()));
    reportError(makeError(ErrorKind::Usage, "unknown command '" + args[0] + "' (see medveil-cli --help)"));
    return 1;
}

} // namespace

int runMedveilCli(const std::vector<std::string>& args)
{
    // The last line of defence: whatever escapes a command (a library's exception, a bug) ends the run with
    // a message and exit 5 instead of std::terminate's abort (rc 134, no message a script can use). Causes
    // found are fixed where they arise with their own exit code; a name the file system refuses as too long
    // is bad input even when it surfaces here.
    try {
        return runCommandLine(args);
    } catch (const std::filesystem::filesystem_error& e) {
        if (e.code() == std::errc::filename_too_long)
            return reportError(makeError(ErrorKind::BadInput, "path too long: '" + e.path1().string() + "'"));
        return reportError(makeError(ErrorKind::Internal, std::string("unexpected failure: ") + e.what()));
    } catch (const std::exception& e) {
        return reportError(makeError(ErrorKind::Internal, std::string("unexpected failure: ") + e.what()));
    } catch (...) {
        return reportError(makeError(ErrorKind::Internal, "unexpected failure of an unknown kind"));
    }
}

} // namespace medveil::cli
