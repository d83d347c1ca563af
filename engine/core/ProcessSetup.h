// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

namespace medveil {

/// Process-wide settings the engine's workloads need; call it first in main(), before any thread starts
/// (it uses setenv, which is not thread-safe). A user's own environment settings win.
///  - The heap is backed by transparent huge pages where the system gives them on advice (MADV_HUGEPAGE, as
///    glibc.malloc.hugetlb=1 does): a fresh protect 512² spent a third of its CPU in 4 KiB page faults.
///  - OpenMP threads wait passively: LibTorch's spinning waits made a 512² seal → open take minutes instead
///    of seconds on a busy 2-core machine (test_emr: 478 s → 45 s).
///  - Freed large buffers stay in the process: LibTorch, OpenCV and the embedder allocate and free
///    multi-megabyte buffers per layer or pass; glibc otherwise returns each one to the kernel and the next
///    allocation pays page faults and zeroing again (a quarter of a 512² emr-seal's time).
void prepareProcessForEngine();

/// For a command that runs HiNet once in a fresh process (emr-seal, emr-open): every thread allocates from
/// the main heap (one malloc arena), which prepareProcessForEngine() backs with transparent huge pages, so
/// the thread that loads LibTorch and the network gets them too (a 512² seal: 20,500 page faults with a
/// thread arena, 6,800 without). This replaces the second start of the process under glibc.malloc.hugetlb=1
/// that these commands used to make. Does nothing when the user set the arena count (MALLOC_ARENA_MAX or
/// GLIBC_TUNABLES). Call it first in main(), before any thread starts.
void shareMainHeapAcrossThreads();

} // namespace medveil
