// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A property a fuzz target checks beyond "no crash": a violation aborts, which libFuzzer and the plain
// driver both report as a finding (with the input saved by libFuzzer).
#include <cstdio>
#include <cstdlib>

#define MEDVEIL_FUZZ_CHECK(condition)                                                                        \
    do {                                                                                                     \
        if (!(condition)) {                                                                                  \
            std::fprintf(stderr, "fuzz property violated: %s (%s:%d)\n", #condition, __FILE__, __LINE__);    \
            std::abort();                                                                                    \
        }                                                                                                    \
    } while (false)
