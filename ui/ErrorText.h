// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/Result.h"

#include <QString>

namespace medveil::ui {

/// An engine error for the user: a translated sentence saying what kind of failure it is (the engine is
/// Qt-free and speaks English), followed by the engine's precise detail.
QString errorText(const Error& error);

} // namespace medveil::ui
