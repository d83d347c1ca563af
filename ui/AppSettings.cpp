// SPDX-License-Identifier: GPL-3.0-or-later
#include "AppSettings.h"

#include <QSettings>

namespace medveil::ui {

namespace {
// No key may live in a group called "general" (any case): QSettings writes that group as [%General] and
// reads it back as "General/…", so "general/language" was written and never found again (issue #25.8).
QString keyName(AppSettings::Key key)
{
    switch (key) {
    case AppSettings::Key::RememberRecentFiles:
        return QStringLiteral("files/rememberRecent");
    case AppSettings::Key::RecentFiles:
        return QStringLiteral("files/recent");
    case AppSettings::Key::FirstStartDone:
        return QStringLiteral("app/firstStartDone");
    case AppSettings::Key::Language:
        return QStringLiteral("app/language");
    case AppSettings::Key::WindowGeometry:
        return QStringLiteral("window/geometry");
    case AppSettings::Key::ProtectInfo:
        return QStringLiteral("protect/publicInfo");
    case AppSettings::Key::RecipientPublicKey:
        return QStringLiteral("keys/recipientPublicKey");
    case AppSettings::Key::PrivateKeyPath:
        return QStringLiteral("keys/privateKeyPath");
    case AppSettings::Key::TrustedSenders:
        return QStringLiteral("keys/trustedSenders");
    case AppSettings::Key::SenderKeyPath:
        return QStringLiteral("keys/senderKeyPath");
    case AppSettings::Key::PacsNodes:
        return QStringLiteral("pacs/nodes");
    }
    return {};
}

QVariant defaultValue(AppSettings::Key key)
{
    switch (key) {
    case AppSettings::Key::RememberRecentFiles:
        return true;
    case AppSettings::Key::FirstStartDone:
        return false;
    default:
        return {};
    }
}
/// Where earlier releases' "general/…" keys are found on disk (see keyName()).
QString legacyKeyName(AppSettings::Key key)
{
    switch (key) {
    case AppSettings::Key::FirstStartDone:
        return QStringLiteral("General/firstStartDone");
    case AppSettings::Key::Language:
        return QStringLiteral("General/language");
    default:
        return {};
    }
}

constexpr int kMaxRecent = 10;
} // namespace

QVariant AppSettings::value(Key key)
{
    QSettings settings;
    const QString legacy = legacyKeyName(key);
    if (!settings.contains(keyName(key)) && !legacy.isEmpty() && settings.contains(legacy))
        return settings.value(legacy);
    return settings.value(keyName(key), defaultValue(key));
}

void AppSettings::setValue(Key key, const QVariant& value)
{
    QSettings settings;
    settings.setValue(keyName(key), value);
    if (const QString legacy = legacyKeyName(key); !legacy.isEmpty())
        settings.remove(legacy);
}

void AppSettings::remove(Key key)
{
    QSettings settings;
    settings.remove(keyName(key));
    if (const QString legacy = legacyKeyName(key); !legacy.isEmpty())
        settings.remove(legacy);
}

QStringList AppSettings::recentFiles()
{
    return rememberRecentFiles() ? value(Key::RecentFiles).toStringList() : QStringList();
}

void AppSettings::addRecentFile(const QString& path)
{
    if (!rememberRecentFiles())
        return;
    QStringList list = value(Key::RecentFiles).toStringList();
    list.removeAll(path);
    list.prepend(path);
    while (list.size() > kMaxRecent)
        list.removeLast();
    setValue(Key::RecentFiles, list);
}

void AppSettings::clearRecentFiles()
{
    QSettings().remove(keyName(Key::RecentFiles));
}

bool AppSettings::rememberRecentFiles()
{
    return value(Key::RememberRecentFiles).toBool();
}

void AppSettings::setRememberRecentFiles(bool remember)
{
    setValue(Key::RememberRecentFiles, remember);
    if (!remember)
        clearRecentFiles();
}

} // namespace medveil::ui
