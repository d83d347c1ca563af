// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringList>

namespace medveil::ui {

/// The UI languages MedVeil ships (translations/medveil_*.ts, compiled into the binary).
QStringList availableLanguages();

/// Installs MedVeil's translator (and Qt's own, for standard dialogs) for `language` ("en", "zh_CN", or
/// empty for the system locale) and sets the default QLocale to match. Returns the language applied
/// ("en" when nothing better matches). Call before any widget is created: Preferences changes take
/// effect at the next start. A second call replaces the translators of the first.
QString installTranslators(const QString& language);

/// The language chosen in Preferences ("" for the system's), as the next start applies it.
QString preferredLanguage();

/// The language installTranslators() applied last ("en" before any call).
QString currentLanguage();

} // namespace medveil::ui
