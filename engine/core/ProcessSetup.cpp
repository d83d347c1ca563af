// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/ProcessSetup.h"

#include <cstdlib>
#include <fstream>
#include <string>

#include <unistd.h>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace medveil {

void prepareProcessForEngine()
{
    ::setenv("OMP_WAIT_POLICY", "PASSIVE", 0);
#if defined(__GLIBC__)
    // Same as MALLOC_MMAP_THRESHOLD_ / MALLOC_TRIM_THRESHOLD_ / MALLOC_TOP_PAD_; skipped when the user set
    // any.
    if (!std::getenv("MALLOC_MMAP_THRESHOLD_") && !std::getenv("MALLOC_TRIM_THRESHOLD_") &&
        !std::getenv("MALLOC_TOP_PAD_")) {
        // Buffers up to 1 GiB come from the heap, not from fresh mmaps (older glibc caps it at 32 MiB).
        if (mallopt(M_MMAP_THRESHOLD, 1 << 30) == 0)
            mallopt(M_MMAP_THRESHOLD, 32 << 20);
        // Keep up to 1 GiB of freed memory at the top of the heap instead of trimming it back each time.
        mallopt(M_TRIM_THRESHOLD, 1 << 30);
        mallopt(M_TOP_PAD, 128 << 20);
    }
#endif
}

void reexecWithHugePages(char** argv)
{
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 35))
    if (std::getenv("GLIBC_TUNABLES"))
        return;
    std::string mode;
    std::getline(std::ifstream("/sys/kernel/mm/transparent_hugepage/enabled"), mode);
    if (mode.empty() || mode.find("[never]") != std::string::npos)
        return;
    if (::setenv("GLIBC_TUNABLES", "glibc.malloc.hugetlb=1", 1) != 0)
        return;
    ::execv("/proc/self/exe", argv);
    ::unsetenv("GLIBC_TUNABLES"); // the exec failed: go on as we are
#else
    (void)argv;
#endif
}

} // namespace medveil
