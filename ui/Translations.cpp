// SPDX-License-Identifier: GPL-3.0-or-later
#include "Translations.h"

#include "AppSettings.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QPointer>
#include <QTranslator>

namespace medveil::ui {

QStringList availableLanguages()
{
    return {QStringLiteral("en"), QStringLiteral("zh_CN")};
}

namespace {
// The translators installed last (owned by the application object), replaced by the next call.
QPointer<QTranslator> g_medveilTranslator, g_qtTranslator;
QString g_language = QStringLiteral("en");
} // namespace

QString preferredLanguage()
{
    return AppSettings::value(AppSettings::Key::Language).toString();
}

QString currentLanguage()
{
    return g_language;
}

QString installTranslators(const QString& language)
{
    for (QTranslator* old : {g_medveilTranslator.data(), g_qtTranslator.data()})
        if (old) {
            QCoreApplication::removeTranslator(old);
            delete old;
        }
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
    // Qt's own strings (file dialogs, OK/Cancel): qtbase_zh_CN.qm of qt6-translations-l10n.
    auto* qt = new QTranslator(QCoreApplication::instance());
    if (chosen != QLatin1String("en") &&
        qt->load(QStringLiteral("qtbase_") + chosen, QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(qt);
    g_medveilTranslator = medveil;
    g_qtTranslator = qt;
    g_language = chosen;
    return chosen;
}

} // namespace medveil::ui
