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
    std::set<std::string> valueOptions;      ///< e.g. "--public"
    std::set<std::string> repeatableOptions; ///< subset of valueOptions that may repeat, e.g. "--info"
    std::set<std::string> flags;             ///< e.g. "--json"
    std::set<std::string> requiredOptions;
    size_t minPositional = 0;
    size_t maxPositional = 0;
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

private:
    std::vector<std::string> m_positional;
    std::multimap<std::string, std::string> m_values;
    std::set<std::string> m_flags;
};

} // namespace medveil::cli
