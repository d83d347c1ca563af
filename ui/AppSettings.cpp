// SPDX-License-Identifier: GPL-3.0-or-later
#include "AppSettings.h"

#include <QSettings>

namespace medveil::ui {

namespace {
QString keyName(AppSettings::Key key)
{
    switch (key) {
    case AppSettings::Key::RememberRecentFiles:
        return QStringLiteral("files/rememberRecent");
    case AppSettings::Key::RecentFiles:
        return QStringLiteral("files/recent");
    case AppSettings::Key::FirstStartDone:
        return QStringLiteral("general/firstStartDone");
    case AppSettings::Key::Language:
        return QStringLiteral("general/language");
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
constexpr int kMaxRecent = 10;
} // namespace

QVariant AppSettings::value(Key key)
{
    return QSettings().value(keyName(key), defaultValue(key));
}

void AppSettings::setValue(Key key, const QVariant& value)
{
    QSettings().setValue(keyName(key), value);
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
