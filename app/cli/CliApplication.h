// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>
#include <vector>

namespace medveil::cli {

/// medveil-cli with `args` (argv without the program name), in this process: what main() runs, and what
/// the in-process tests call. Output goes to std::cout and std::cerr; the exit code is returned (CLI.md).
/// `--max-pixels N` holds for this run only.
int runMedveilCli(const std::vector<std::string>& args);

} // namespace medveil::cli
