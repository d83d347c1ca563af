// SPDX-License-Identifier: GPL-3.0-or-later
#include "Translations.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

namespace medveil::ui {

QStringList availableLanguages()
{
    return {QStringLiteral("en"), QStringLiteral("zh_CN")};
}

QString installTranslators(const QString& language)
{
    QString chosen = language;
    if (chosen.isEmpty()) {
        const QString system = QLocale::system().name();
        chosen = system.startsWith(QLatin1String("zh")) ? QStringLiteral("zh_CN") : QStringLiteral("en");
    }
    if (!availableLanguages().contains(chosen))
        chosen = QStringLiteral("en");
    QLocale::setDefault(QLocale(chosen));
    // Owned by the application object: translators live as long as the UI does.
    auto* medveil = new QTranslator(QCoreApplication::instance());
    if (medveil->load(QStringLiteral(":/i18n/medveil_") + chosen))
        QCoreApplication::installTranslator(medveil);
    auto* qt = new QTranslator(QCoreApplication::instance());
    if (chosen != QLatin1String("en") &&
        qt->load(QStringLiteral("qtbase_") + chosen, QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(qt);
    return chosen;
}

} // namespace medveil::ui
