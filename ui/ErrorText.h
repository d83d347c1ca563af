// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/Result.h"

#include <QString>

#include <string>
#include <string_view>

namespace medveil::ui {

/// An engine error for the user: a translated sentence saying what kind of failure it is, followed by the
/// engine's detail in the UI language (engineMessage()).
QString errorText(const Error& error);

/// Text from a file (QR information, DICOM strings, file names, engine messages quoting them) for a widget:
/// displaySafe() (core/DisplayText.h), so control characters, line breaks and bidirectional overrides show
/// as visible escapes and cannot fake or reorder what is shown.
QString displayText(std::string_view text);

/// An engine sentence (errors, verdicts such as inspect's problem) in the UI language. The engine is
/// Qt-free and speaks English; the sentences a GUI user meets are recognised here, with the values they
/// carry (file names, sizes, bit counts), and translated ("EngineMessage" context of the .ts files). A
/// sentence not in the table comes back as the engine wrote it.
QString engineMessage(const std::string& message);

/// The label of a public QR field key ("hospital" → "Hospital", translated); an unknown key is shown as
/// it is.
QString qrFieldLabel(const std::string& key);

} // namespace medveil::ui
