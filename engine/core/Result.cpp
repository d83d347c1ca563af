// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/Result.h"

#include <cstdio>
#include <cstdlib>

namespace medveil::detail {

void failedResultAccess(const Error* error) noexcept
{
    if (error)
        std::fprintf(stderr, "MedVeil internal error: the value of a failed result was read (%s)\n",
                     error->message.c_str());
    else
        std::fprintf(stderr, "MedVeil internal error: the error of a successful result was read\n");
    std::abort();
}

} // namespace medveil::detail
