// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDialog>

#include <memory>
#include <string>

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QProgressBar;

namespace medveil::ui {

template <typename T> class BackgroundJob;

/// Keys → Key Manager: generate an RSA key pair (passphrase-protected PKCS#8 private key, mode 0600, plus
/// its public key), inspect a PEM file (kind, size, SHA-256 fingerprint), export the public half of a
/// private key, change a private key's passphrase, choose which files the workflows use (the recipient's
/// public key, the user's private key, and the signing key that Protect, EMR and series jobs sign with),
/// and keep the trusted senders (workflow/TrustedSenders.h: the file medveil-cli --verify-trusted reads).
/// Only file paths reach the settings; key material and passphrases live in this dialog's memory and are
/// cleared when it closes. Key generation runs off the GUI thread.
class KeyManagerDialog : public QDialog
{
    Q_OBJECT

public:
    explicit KeyManagerDialog(QWidget* parent = nullptr);
    ~KeyManagerDialog() override;

    /// Generates a pair into `folder` as NAME.private.pem / NAME.public.pem (never over existing files).
    void generate(const QString& folder, const QString& name, int bits, const QString& passphrase);
    /// Shows what `path` holds; an encrypted private key needs `passphrase` only to export/re-encrypt.
    void inspect(const QString& path);
    [[nodiscard]] QString inspectedSummary() const;
    [[nodiscard]] QString lastPrivateKeyPath() const { return m_lastPrivate; }
    /// Adds the inspected public key to the trusted senders under `name` (false for a private key, no key
    /// or an empty name). The button asks for the name.
    bool trustInspectedKey(const QString& name);
    void removeTrustedSender(int row);
    /// The list as shown: "NAME — SHA-256 ABCD …".
    [[nodiscard]] QStringList trustedSenders() const;
    [[nodiscard]] QString lastPublicKeyPath() const { return m_lastPublic; }

Q_SIGNALS:
    void generated(const QString& privatePath, const QString& publicPath);
    void failed(const QString& message);
    /// The user chose these files for the workflows (also stored in AppSettings as paths).
    void recipientKeyChosen(const QString& publicPath);
    void privateKeyChosen(const QString& privatePath);
    /// The user chose this private key to sign what they make (SenderKey, AppSettings).
    void signingKeyChosen(const QString& privatePath);

protected:
    void done(int result) override;

private:
    void startGeneration();
    void exportPublicKey();
    void changePassphrase();
    void refreshSenders();
    [[nodiscard]] QString askPassphrase(const QString& title, const QString& prompt, bool confirm);

    QComboBox* m_bits = nullptr;
    QLineEdit* m_folder = nullptr;
    QLineEdit* m_name = nullptr;
    QLineEdit* m_passphrase = nullptr;
    QLineEdit* m_confirm = nullptr;
    QPushButton* m_generate = nullptr;
    QProgressBar* m_busy = nullptr;
    QLabel* m_generateResult = nullptr;
    QLineEdit* m_inspectPath = nullptr;
    QLabel* m_inspectResult = nullptr;
    QPushButton* m_useAsRecipient = nullptr;
    QPushButton* m_useAsPrivate = nullptr;
    QPushButton* m_exportPublic = nullptr;
    QPushButton* m_changePassphrase = nullptr;
    QPushButton* m_trustSender = nullptr;
    QPushButton* m_useAsSigning = nullptr;
    QLabel* m_signingKey = nullptr;
    QListWidget* m_senders = nullptr;
    QString m_inspectedFingerprint;   ///< hex SHA-256 of the inspected (unencrypted) key
    std::string m_inspectedPublicPem; ///< the inspected public key (what Trust as Sender keeps)
    bool m_inspectedIsPrivate = false;
    QString m_lastPrivate, m_lastPublic;
    struct Generated
    {
        QString error;
        QString privatePath, publicPath, fingerprint;
        int bits = 0;
    };
    std::shared_ptr<BackgroundJob<Generated>> m_job;
};

} // namespace medveil::ui
