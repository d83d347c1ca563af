// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/ArgParser.h"

#include "io/AtomicFile.h"

#include <filesystem>

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

Status ParsedArgs::checkOutputs(const CommandSpec& spec) const
{
    std::vector<std::string> outputs, inputs;
    for (const auto& [name, value] : m_values)
        (spec.outputOptions.count(name) ? outputs : inputs).push_back(value);
    for (size_t i = 0; i < m_positional.size(); ++i)
        (spec.outputPositionals.count(i) ? outputs : inputs).push_back(m_positional[i]);
    // Every value is compared, not only paths (an --info text, a region): the error_code overloads, since a
    // value that cannot be a path (a name over 255 bytes) is simply no file.
    auto same = [](const std::string& a, const std::string& b) {
        std::error_code ec1, ec2;
        const auto ca = std::filesystem::weakly_canonical(a, ec1),
                   cb = std::filesystem::weakly_canonical(b, ec2);
        if (!ec1 && !ec2 && ca == cb)
            return true;
        return isSameFile(a, b); // hard links
    };
    for (size_t i = 0; i < outputs.size(); ++i) {
        for (const auto& input : inputs)
            if (std::error_code ec; std::filesystem::exists(input, ec) && same(outputs[i], input))
                return makeError(ErrorKind::BadInput, "the output '" + outputs[i] + "' is the input file '" +
                                                          input + "'; refusing to write over it");
        for (size_t j = i + 1; j < outputs.size(); ++j)
            if (same(outputs[i], outputs[j]))
                return makeError(ErrorKind::BadInput, "two outputs name the same file '" + outputs[i] + "'");
    }
    return {};
}

} // namespace medveil::cli
