// SPDX-License-Identifier: GPL-3.0-or-later
#include "TrustedSenders.h"

#include "AppSettings.h"
#include "ErrorText.h"
#include "workflow/TrustedSenders.h"

#include <QCoreApplication>
#include <QVariantMap>

namespace medveil::ui::TrustedSenders {

namespace {

QString g_problem;

QString hexOf(const Bytes& bytes)
{
    return QString::fromStdString(hexEncode(bytes));
}

/// The list from its file, with the settings' list of earlier releases moved in (once: the settings entry
/// is removed when the file holds it). nullopt with g_problem set when the file cannot be read.
std::optional<workflow::TrustedSenderList> load(std::filesystem::path* where = nullptr)
{
    auto path = workflow::TrustedSenderList::defaultPath();
    auto list =
        path ? workflow::TrustedSenderList::load(*path) : Result<workflow::TrustedSenderList>(path.error());
    if (!list) {
        g_problem = errorText(list.error());
        return std::nullopt;
    }
    g_problem.clear();
    if (where)
        *where = *path;
    const QVariantMap legacy = AppSettings::value(AppSettings::Key::TrustedSenders).toMap();
    if (legacy.isEmpty())
        return std::move(*list);
    for (auto it = legacy.begin(); it != legacy.end(); ++it) {
        auto fingerprint = workflow::parseFingerprint(it.key().toStdString());
        if (fingerprint && !list->find(*fingerprint))
            (void)list->addFingerprint(it.value().toString().toStdString(), *fingerprint);
    }
    const Status saved = list->save(*path);
    if (saved)
        AppSettings::remove(AppSettings::Key::TrustedSenders);
    else
        g_problem = errorText(saved.error());
    return std::move(*list);
}

template <typename Edit> bool change(Edit edit)
{
    std::filesystem::path path;
    auto list = load(&path);
    if (!list)
        return false;
    const Status edited = edit(*list);
    const Status saved = edited ? list->save(path) : edited;
    if (!saved) {
        g_problem = errorText(saved.error());
        return false;
    }
    return true;
}

} // namespace

QMap<QString, QString> all()
{
    QMap<QString, QString> senders;
    if (const auto list = load())
        for (const workflow::TrustedSender& sender : list->senders())
            senders.insert(hexOf(sender.fingerprint), QString::fromStdString(sender.name));
    return senders;
}

bool trust(const RsaKey& publicKey, const QString& name)
{
    return change([&](workflow::TrustedSenderList& list) { return list.add(name.toStdString(), publicKey); });
}

bool trust(const QString& fingerprintHex, const QString& name)
{
    auto fingerprint = workflow::parseFingerprint(fingerprintHex.toStdString());
    if (!fingerprint) {
        g_problem = errorText(fingerprint.error());
        return false;
    }
    return change([&](workflow::TrustedSenderList& list) {
        return list.addFingerprint(name.toStdString(), *fingerprint);
    });
}

bool forget(const QString& fingerprintHex)
{
    auto fingerprint = workflow::parseFingerprint(fingerprintHex.toStdString());
    if (!fingerprint)
        return false;
    return change([&](workflow::TrustedSenderList& list) -> Status {
        list.remove(*fingerprint);
        return {};
    });
}

QString problem()
{
    return g_problem;
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
