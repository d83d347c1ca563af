// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/Result.h"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace medveil::cli {

/// What a command accepts: options taking a value (repeatable ones listed too), bare flags, positionals.
struct CommandSpec
{
    std::set<std::string> valueOptions{};      ///< e.g. "--public"
    std::set<std::string> repeatableOptions{}; ///< subset of valueOptions that may repeat, e.g. "--info"
    std::set<std::string> flags{};             ///< e.g. "--json"
    std::set<std::string> requiredOptions{};
    size_t minPositional = 0;
    size_t maxPositional = 0;
    /// Options and positional indices that name files the command writes. Every other path on the command
    /// line is an input (image, key, passphrase, EMR, model): no output may name one of them, nor another
    /// output (checkOutputs).
    std::set<std::string> outputOptions{};
    std::set<size_t> outputPositionals{};
};

/// Parsed command line of one command. Parsing errors are ErrorKind::Usage (exit code 1).
class ParsedArgs
{
public:
    static Result<ParsedArgs> parse(const std::vector<std::string>& args, const CommandSpec& spec);

    [[nodiscard]] const std::vector<std::string>& positional() const { return m_positional; }
    [[nodiscard]] bool flag(const std::string& name) const { return m_flags.count(name) > 0; }
    [[nodiscard]] std::optional<std::string> value(const std::string& name) const;
    [[nodiscard]] std::vector<std::string> values(const std::string& name) const;

    /// BadInput (exit 2) when an output path resolves to an input file or to another output: inputs are
    /// sacred (a key written over is every protection made for it lost).
    [[nodiscard]] Status checkOutputs(const CommandSpec& spec) const;

private:
    std::vector<std::string> m_positional;
    std::multimap<std::string, std::string> m_values;
    std::set<std::string> m_flags;
};

} // namespace medveil::cli
