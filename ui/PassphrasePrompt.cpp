// SPDX-License-Identifier: GPL-3.0-or-later
#include "PassphrasePrompt.h"

#include <QCoreApplication>
#include <QFile>
#include <QInputDialog>
#include <QLineEdit>

namespace medveil::ui {

void withKeyPassphrase(QWidget* parent, const QString& keyPath, const std::optional<QString>& preset,
                       std::function<void(std::optional<std::string>)> then)
{
    if (preset) {
        then(preset->toStdString());
        return;
    }
    QFile keyFile(keyPath);
    const bool encrypted = keyFile.open(QIODevice::ReadOnly) && keyFile.read(1 << 16).contains("ENCRYPTED");
    if (!encrypted) {
        then(std::nullopt);
        return;
    }
    auto* dialog = new QInputDialog(parent);
    dialog->setObjectName(QStringLiteral("passphraseDialog"));
    dialog->setWindowTitle(QCoreApplication::translate("PassphrasePrompt", "Passphrase"));
    dialog->setLabelText(
        QCoreApplication::translate("PassphrasePrompt", "The private key is protected by a passphrase:"));
    dialog->setTextEchoMode(QLineEdit::Password);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    QObject::connect(dialog, &QInputDialog::textValueSelected, parent,
                     [then = std::move(then)](const QString& text) { then(text.toStdString()); });
    dialog->open(); // window-modal, no nested event loop
}

} // namespace medveil::ui
