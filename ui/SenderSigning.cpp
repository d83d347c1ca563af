// SPDX-License-Identifier: GPL-3.0-or-later
#include "SenderSigning.h"

#include "AppSettings.h"
#include "PassphrasePrompt.h"
#include "crypto/KeyFile.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>

namespace medveil::ui {

SenderKey* SenderKey::instance()
{
    static SenderKey* key = new SenderKey(QCoreApplication::instance());
    return key;
}

QString SenderKey::path() const
{
    return AppSettings::value(AppSettings::Key::SenderKeyPath).toString();
}

void SenderKey::setPath(const QString& path)
{
    AppSettings::setValue(AppSettings::Key::SenderKeyPath, path);
    Q_EMIT changed(path);
}

Result<std::optional<RsaKey>> loadSigner(const std::optional<SigningRequest>& request)
{
    if (!request)
        return std::optional<RsaKey>();
    auto key = loadKeyFile(request->keyPath, KeyRole::Private, request->passphrase);
    if (!key)
        return key.error();
    return std::optional<RsaKey>(std::move(*key));
}

SignAsSenderBox::SignAsSenderBox(QWidget* parent) : QCheckBox(parent)
{
    setObjectName(QStringLiteral("signAsSender"));
    follow(SenderKey::instance()->path());
    connect(SenderKey::instance(), &SenderKey::changed, this, &SignAsSenderBox::follow);
}

void SignAsSenderBox::follow(const QString& path)
{
    m_keyPath = path;
    const bool chosen = !path.isEmpty();
    setEnabled(chosen);
    setChecked(chosen);
    setText(chosen ? tr("Sign as sender (%1)").arg(QFileInfo(path).fileName()) : tr("Sign as sender"));
    setToolTip(chosen ? tr("The recipient can check who made this file (recover --verify, or a trusted "
                           "sender in their Key Manager)")
                      : tr("Choose your signing key in Keys ▸ Key Manager (Use as My Signing Key)"));
}

bool SignAsSenderBox::signing() const
{
    return isChecked() && !m_keyPath.isEmpty();
}

void SignAsSenderBox::prepare(QWidget* parent, std::function<void(std::optional<SigningRequest>)> then) const
{
    if (!signing()) {
        then(std::nullopt);
        return;
    }
    const QString path = m_keyPath;
    withKeyPassphrase(parent, path, m_passphrase,
                      [path, then = std::move(then)](std::optional<std::string> passphrase) {
                          then(SigningRequest{QFile::encodeName(path).toStdString(), std::move(passphrase)});
                      });
}

} // namespace medveil::ui
