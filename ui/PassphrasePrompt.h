// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include <functional>
#include <optional>
#include <string>

class QWidget;

namespace medveil::ui {

/// Asks for a private key's passphrase when the key file is encrypted (every key the Key Manager makes
/// is), with a window-modal password dialog that does not block the event loop; then calls `then` with the
/// passphrase, or with nullopt for a plain key. A `preset` passphrase (tests, a script) skips the dialog.
/// Cancelling calls nothing.
void withKeyPassphrase(QWidget* parent, const QString& keyPath, const std::optional<QString>& preset,
                       std::function<void(std::optional<std::string>)> then);

} // namespace medveil::ui
