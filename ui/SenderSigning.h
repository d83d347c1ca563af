// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/Result.h"
#include "crypto/RsaKey.h"

#include <QCheckBox>

#include <functional>
#include <optional>
#include <string>

namespace medveil::ui {

/// The sender key chosen in the Key Manager ("Use as My Signing Key"): a private key whose signature tells
/// a recipient who made a file (the CLI's --sign). Only its path is stored (AppSettings); every
/// SignAsSenderBox follows it.
class SenderKey : public QObject
{
    Q_OBJECT

public:
    static SenderKey* instance();
    [[nodiscard]] QString path() const;
    void setPath(const QString& path);

Q_SIGNALS:
    void changed(const QString& path);

private:
    using QObject::QObject;
};

/// What a background job needs to sign: the key file and its passphrase (asked on the GUI thread).
struct SigningRequest
{
    std::string keyPath;
    std::optional<std::string> passphrase;
};

/// The signer key of a request, loaded on the worker (PBKDF2 takes a while); nullopt without a request.
Result<std::optional<RsaKey>> loadSigner(const std::optional<SigningRequest>& request);

/// "Sign as sender (FILE)" in Protect, EMR and the series dialog: checked by default once a sender key is
/// chosen, disabled (saying where to choose one) while none is.
class SignAsSenderBox : public QCheckBox
{
    Q_OBJECT

public:
    explicit SignAsSenderBox(QWidget* parent = nullptr);

    /// True when the next save is signed.
    [[nodiscard]] bool signing() const;
    [[nodiscard]] QString keyPath() const { return m_keyPath; }
    /// Uses `passphrase` instead of asking (scripted use). Never stored.
    void setPassphrase(const QString& passphrase) { m_passphrase = passphrase; }
    /// Calls `then` with the signing request — after asking for the key's passphrase (window-modal, see
    /// PassphrasePrompt.h) when signing with an encrypted key — or with nullopt when not signing.
    /// Cancelling the passphrase dialog calls nothing.
    void prepare(QWidget* parent, std::function<void(std::optional<SigningRequest>)> then) const;

private:
    void follow(const QString& path);

    QString m_keyPath;
    std::optional<QString> m_passphrase;
};

} // namespace medveil::ui
