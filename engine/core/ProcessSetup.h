// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

namespace medveil {

/// Process-wide settings the engine's workloads need; call it first in main(), before any thread starts
/// (it uses setenv, which is not thread-safe). A user's own environment settings win.
///  - OpenMP threads wait passively: LibTorch's spinning waits made a 512² seal → open take minutes instead
///    of seconds on a busy 2-core machine (test_emr: 478 s → 45 s).
///  - Freed large buffers stay in the process: LibTorch, OpenCV and the embedder allocate and free
///    multi-megabyte buffers per layer or pass; glibc otherwise returns each one to the kernel and the next
///    allocation pays page faults and zeroing again (a quarter of a 512² emr-seal's time).
void prepareProcessForEngine();

/// For a command that runs HiNet once in a fresh process (emr-seal, emr-open): LibTorch's tensors are
/// fresh multi-megabyte buffers, and a 512² seal spent ~15 % of its CPU in 4 KiB page faults. glibc backs
/// its heap with transparent huge pages under the tunable glibc.malloc.hugetlb=1, which it reads only at
/// start-up, so the program executes itself again once with it (measured on 2 cores: 17–21 % less CPU
/// for emr-seal / emr-open 512², for the ~50 ms of a second start). Does nothing, and returns, when
/// GLIBC_TUNABLES is set already (the user's choice, or the second start), when the system has transparent
/// huge pages off, or when the exec fails. Call it first in main(), before any thread starts.
void reexecWithHugePages(char** argv);

} // namespace medveil
