// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

namespace medveil::ui {
/// Registers the compiled-in Qt resources (icons, presets) of the static UI library. Idempotent.
void ensureResources();
} // namespace medveil::ui
