// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/Result.h"

#include <QString>

#include <string_view>

namespace medveil::ui {

/// An engine error for the user: a translated sentence saying what kind of failure it is (the engine is
/// Qt-free and speaks English), followed by the engine's precise detail.
QString errorText(const Error& error);

/// Text from a file (QR information, DICOM strings, file names, engine messages quoting them) for a widget:
/// displaySafe() (core/DisplayText.h), so control characters, line breaks and bidirectional overrides show
/// as visible escapes and cannot fake or reorder what is shown.
QString displayText(std::string_view text);

} // namespace medveil::ui
