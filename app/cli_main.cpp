// SPDX-License-Identifier: GPL-3.0-or-later
// medveil-cli: the scriptable face of the engine (contract: docs/CLI.md). The commands live in the
// medveil_cli library (cli/CliApplication.h), which the in-process tests call too.
#include "cli/CliApplication.h"
#include "core/ProcessSetup.h"
#include "io/AtomicFile.h"

#include <string_view>

int main(int argc, char** argv)
{
    // The HiNet commands run on huge pages (see core/ProcessSetup.h): a second start, before anything else.
    if (argc > 1 && (std::string_view(argv[1]) == "emr-seal" || std::string_view(argv[1]) == "emr-open"))
        medveil::reexecWithHugePages(argv);
    // Passive OpenMP waits, freed buffers kept (see core/ProcessSetup.h); before any thread starts.
    medveil::prepareProcessForEngine();
    // Ctrl+C or a kill before the outputs are committed leaves nothing behind (exit 128 + signal); once
    // they are committed the command finishes with exit 0 — never a non-zero exit with an output left.
    medveil::removeTemporariesOnSignal(medveil::AfterCommit::Finish);
    return medveil::cli::runMedveilCli(std::vector<std::string>(argv + 1, argv + argc));
}
