// SPDX-License-Identifier: GPL-3.0-or-later
#include "TrustedSenders.h"

#include "AppSettings.h"

#include <QCoreApplication>
#include <QVariantMap>

namespace medveil::ui::TrustedSenders {

namespace {
QString hexOf(const Bytes& bytes)
{
    return QString::fromStdString(hexEncode(bytes));
}
} // namespace

QMap<QString, QString> all()
{
    QMap<QString, QString> senders;
    const QVariantMap stored = AppSettings::value(AppSettings::Key::TrustedSenders).toMap();
    for (auto it = stored.begin(); it != stored.end(); ++it)
        senders.insert(it.key(), it.value().toString());
    return senders;
}

void trust(const QString& fingerprintHex, const QString& name)
{
    QVariantMap stored = AppSettings::value(AppSettings::Key::TrustedSenders).toMap();
    stored.insert(fingerprintHex.toLower(), name);
    AppSettings::setValue(AppSettings::Key::TrustedSenders, stored);
}

void forget(const QString& fingerprintHex)
{
    QVariantMap stored = AppSettings::value(AppSettings::Key::TrustedSenders).toMap();
    stored.remove(fingerprintHex.toLower());
    AppSettings::setValue(AppSettings::Key::TrustedSenders, stored);
}

QString nameOf(const QString& fingerprintHex)
{
    return all().value(fingerprintHex.toLower());
}

QString shortFingerprint(const QString& fingerprintHex)
{
    QStringList groups;
    for (int i = 0; i < 32 && i < fingerprintHex.size(); i += 4)
        groups << fingerprintHex.mid(i, 4).toUpper();
    return groups.join(QLatin1Char(' ')) + (fingerprintHex.size() > 32 ? QStringLiteral(" …") : QString());
}

QString describeSigner(const std::optional<Bytes>& fingerprint)
{
    if (!fingerprint)
        return QCoreApplication::translate("TrustedSenders", "Not signed: nothing says who sent this file.");
    const QString hex = hexOf(*fingerprint);
    const QString name = nameOf(hex);
    if (!name.isEmpty())
        return QCoreApplication::translate("TrustedSenders",
                                           "Signed by %1, a trusted sender (key SHA-256 %2).")
            .arg(name, shortFingerprint(hex));
    return QCoreApplication::translate(
               "TrustedSenders",
               "Signed by an unknown key (SHA-256 %1): not one of your trusted senders (Keys → Key Manager).")
        .arg(shortFingerprint(hex));
}

bool isTrusted(const std::optional<Bytes>& fingerprint)
{
    return fingerprint && !nameOf(hexOf(*fingerprint)).isEmpty();
}

} // namespace medveil::ui::TrustedSenders
