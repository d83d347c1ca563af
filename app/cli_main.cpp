// SPDX-License-Identifier: GPL-3.0-or-later
// medveil-cli: the scriptable face of the engine (contract: docs/CLI.md). The commands live in the
// medveil_cli library (cli/CliApplication.h), which the in-process tests call too.
#include "cli/CliApplication.h"
#include "core/ProcessSetup.h"
#include "io/AtomicFile.h"

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string_view>

int main(int argc, char** argv)
{
    // The HiNet commands' threads share the main heap, which is on huge pages (see core/ProcessSetup.h).
    if (argc > 1 && (std::string_view(argv[1]) == "emr-seal" || std::string_view(argv[1]) == "emr-open"))
        medveil::shareMainHeapAcrossThreads();
    // Heap on huge pages, passive OpenMP waits, freed buffers kept (core/ProcessSetup.h); before any thread.
    medveil::prepareProcessForEngine();
    // Ctrl+C or a kill before the outputs are committed leaves nothing behind (exit 128 + signal); once
    // they are committed the command finishes with exit 0 — never a non-zero exit with an output left.
    medveil::removeTemporariesOnSignal(medveil::AfterCommit::Finish);
    const int code = medveil::cli::runMedveilCli(std::vector<std::string>(argv + 1, argv + argc));
    // The command is over: its outputs are committed or removed and its report is written. The libraries'
    // finalisers have nothing left to do for the user, and LibTorch's (deregistering every operator) took
    // 100-250 ms of each emr-seal / emr-open, so the process leaves without them once its streams are out.
    // Sanitizer builds exit normally: LeakSanitizer checks at exit.
    std::cout.flush();
    std::cerr.flush();
    std::fflush(nullptr);
#if !defined(__SANITIZE_ADDRESS__)
    std::_Exit(code);
#endif
    return code;
}
