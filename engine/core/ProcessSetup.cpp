// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/ProcessSetup.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

#include <unistd.h>

#if defined(__GLIBC__)
#include <malloc.h>
#include <sys/mman.h>
#endif

namespace medveil {

namespace {

#if defined(__GLIBC__)
/// The heap reserve advised for transparent huge pages: address space only until touched.
constexpr size_t kHugePageHeap = size_t(512) << 20;
constexpr uintptr_t kHugePage = uintptr_t(2) << 20;

/// Backs the first kHugePageHeap of the main heap with transparent huge pages (MADV_HUGEPAGE), as
/// glibc.malloc.hugetlb=1 does, without the second start that tunable needs: a fresh process's first protect
/// spent about a third of its CPU in 4 KiB page faults (6,500 of them for a 512² slice; 1,800 on huge pages).
/// The heap is grown once by a freed block that stays as its top (M_TRIM_THRESHOLD keeps it; the raised
/// M_MMAP_THRESHOLD makes it come from the heap) and that range is advised, from where the heap ends before
/// (allocations from then on). Nothing happens when the heap cannot grow.
/// Whether the system gives transparent huge pages only where advised (read before M_TOP_PAD grows the heap).
bool hugePagesWhereAdvised()
{
    std::string mode;
    std::getline(std::ifstream("/sys/kernel/mm/transparent_hugepage/enabled"), mode);
    return mode.find("[madvise]") != std::string::npos; // [always]: done already; [never]: nothing to gain
}

void adviseHeapHugePages()
{
    const auto start = reinterpret_cast<uintptr_t>(::sbrk(0));
    void* volatile block = std::malloc(kHugePageHeap); // volatile: the pair is not optimised away
    std::free(block);
    const auto end = reinterpret_cast<uintptr_t>(::sbrk(0));
    const uintptr_t first = (start + kHugePage - 1) & ~(kHugePage - 1), last = end & ~(kHugePage - 1);
    if (start == uintptr_t(-1) || last <= first)
        return; // the block came from mmap (the heap could not grow there): already returned
    ::madvise(reinterpret_cast<void*>(first), last - first, MADV_HUGEPAGE);
}
#endif

} // namespace

void prepareProcessForEngine()
{
    ::setenv("OMP_WAIT_POLICY", "PASSIVE", 0);
#if defined(__GLIBC__)
    // Same as MALLOC_MMAP_THRESHOLD_ / MALLOC_TRIM_THRESHOLD_ / MALLOC_TOP_PAD_; skipped when the user set
    // any.
    if (!std::getenv("MALLOC_MMAP_THRESHOLD_") && !std::getenv("MALLOC_TRIM_THRESHOLD_") &&
        !std::getenv("MALLOC_TOP_PAD_")) {
        // glibc advises huge pages itself under its tunable glibc.malloc.hugetlb; otherwise done here.
        const char* tunables = std::getenv("GLIBC_TUNABLES");
        const bool adviseHere =
            (!tunables || !std::strstr(tunables, "glibc.malloc.hugetlb")) && hugePagesWhereAdvised();
        // Buffers up to 1 GiB come from the heap, not from fresh mmaps (older glibc caps it at 32 MiB).
        if (mallopt(M_MMAP_THRESHOLD, 1 << 30) == 0)
            mallopt(M_MMAP_THRESHOLD, 32 << 20);
        // Keep up to 1 GiB of freed memory at the top of the heap instead of trimming it back each time.
        mallopt(M_TRIM_THRESHOLD, 1 << 30);
        mallopt(M_TOP_PAD, 128 << 20);
        if (adviseHere)
            adviseHeapHugePages();
    }
#endif
}

void shareMainHeapAcrossThreads()
{
#if defined(__GLIBC__)
    const char* tunables = std::getenv("GLIBC_TUNABLES");
    if (std::getenv("MALLOC_ARENA_MAX") || (tunables && std::strstr(tunables, "glibc.malloc.arena_max")))
        return;
    mallopt(M_ARENA_MAX, 1);
#endif
}

} // namespace medveil
