// SPDX-License-Identifier: GPL-3.0-or-later
// medveil-cli: the scriptable face of the engine (contract: docs/CLI.md). The commands live in the
// medveil_cli library (cli/CliApplication.h), which the in-process tests call too.
#include "cli/CliApplication.h"
#include "core/ProcessSetup.h"
#include "io/AtomicFile.h"

int main(int argc, char** argv)
{
    // Passive OpenMP waits, freed buffers kept (see core/ProcessSetup.h); before any thread starts.
    medveil::prepareProcessForEngine();
    // Ctrl+C or a kill during a write leaves no temporary file with patient data behind.
    medveil::removeTemporariesOnSignal();
    return medveil::cli::runMedveilCli(std::vector<std::string>(argv + 1, argv + argc));
}
