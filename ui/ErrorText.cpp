// SPDX-License-Identifier: GPL-3.0-or-later
#include "ErrorText.h"

#include "core/DisplayText.h"

#include <QCoreApplication>

namespace medveil::ui {

QString errorText(const Error& error)
{
    QString kind;
    switch (error.kind) {
    case ErrorKind::Usage:
        kind = QCoreApplication::translate("ErrorText", "Invalid request");
        break;
    case ErrorKind::BadInput:
        kind = QCoreApplication::translate("ErrorText", "Unreadable or unsuitable input");
        break;
    case ErrorKind::Auth:
        kind = QCoreApplication::translate("ErrorText", "Wrong key or passphrase, or the data were modified");
        break;
    case ErrorKind::Capacity:
        kind = QCoreApplication::translate("ErrorText", "Does not fit");
        break;
    case ErrorKind::Internal:
        kind = QCoreApplication::translate("ErrorText", "Internal error");
        break;
    case ErrorKind::Cancelled:
        kind = QCoreApplication::translate("ErrorText", "Cancelled");
        break;
    }
    return QCoreApplication::translate("ErrorText", "%1: %2").arg(kind, displayText(error.message));
}

QString displayText(std::string_view text)
{
    const std::string safe = displaySafe(text);
    return QString::fromUtf8(safe.data(), qsizetype(safe.size()));
}

} // namespace medveil::ui
