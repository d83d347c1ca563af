// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/ArgParser.h"

namespace medveil::cli {

Result<ParsedArgs> ParsedArgs::parse(const std::vector<std::string>& args, const CommandSpec& spec)
{
    ParsedArgs parsed;
    bool onlyPositional = false;
    for (size_t i = 0; i < args.size(); ++i) {
        std::string arg = args[i];
        if (onlyPositional || arg.size() < 2 || arg.rfind("--", 0) != 0) {
            if (!onlyPositional && arg.size() > 1 && arg[0] == '-')
                return makeError(ErrorKind::Usage, "unknown option '" + arg + "'");
            parsed.m_positional.push_back(arg);
            continue;
        }
        if (arg == "--") {
            onlyPositional = true;
            continue;
        }
        std::optional<std::string> inlineValue;
        if (const auto eq = arg.find('='); eq != std::string::npos) {
            inlineValue = arg.substr(eq + 1);
            arg = arg.substr(0, eq);
        }
        if (spec.flags.count(arg)) {
            if (inlineValue)
                return makeError(ErrorKind::Usage, "option '" + arg + "' takes no value");
            parsed.m_flags.insert(arg);
        } else if (spec.valueOptions.count(arg)) {
            std::string value;
            if (inlineValue) {
                value = *inlineValue;
            } else {
                if (i + 1 >= args.size())
                    return makeError(ErrorKind::Usage, "option '" + arg + "' needs a value");
                value = args[++i];
            }
            if (parsed.m_values.count(arg) && !spec.repeatableOptions.count(arg))
                return makeError(ErrorKind::Usage, "option '" + arg + "' given more than once");
            parsed.m_values.emplace(arg, value);
        } else {
            return makeError(ErrorKind::Usage, "unknown option '" + arg + "'");
        }
    }
    for (const auto& required : spec.requiredOptions) {
        if (!parsed.m_values.count(required))
            return makeError(ErrorKind::Usage, "missing required option '" + required + "'");
    }
    if (parsed.m_positional.size() < spec.minPositional)
        return makeError(ErrorKind::Usage, "missing argument(s)");
    if (parsed.m_positional.size() > spec.maxPositional)
        return makeError(ErrorKind::Usage,
                         "unexpected argument '" + parsed.m_positional[spec.maxPositional] + "'");
    return parsed;
}

std::optional<std::string> ParsedArgs::value(const std::string& name) const
{
    const auto it = m_values.find(name);
    if (it == m_values.end())
        return std::nullopt;
    return it->second;
}

std::vector<std::string> ParsedArgs::values(const std::string& name) const
{
    std::vector<std::string> out;
    auto [begin, end] = m_values.equal_range(name);
    for (auto it = begin; it != end; ++it)
        out.push_back(it->second);
    return out;
}

} // namespace medveil::cli
