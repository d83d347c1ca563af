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

} // namespace medveil
