// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>
#include <QVariant>

namespace medveil::ui {

/// Typed access to the few things MedVeil remembers. Keys, passphrases, EMR text and patient
/// fields are never stored here; recent file names only while RememberRecentFiles is on.
class AppSettings
{
public:
    enum class Key
    {
        RememberRecentFiles, ///< bool, default true
        RecentFiles,         ///< QStringList, newest first
        FirstStartDone,      ///< bool: the bundled sample was shown once
        Language,            ///< "en", "zh_CN" or "" (system)
        WindowGeometry,      ///< QByteArray
        ProtectInfo, ///< QVariantMap of the QR's site fields (hospital, department, …; never patient)
        RecipientPublicKey, ///< path of the last recipient public key (a public key is not a secret)
        PrivateKeyPath,     ///< path of the last private key file (never its contents or passphrase)
        TrustedSenders,     ///< earlier releases' trusted senders (fingerprint → name), moved into the
                            ///< engine's trusted-sender file on first use (ui/TrustedSenders.h)
        SenderKeyPath,      ///< path of the user's signing (sender) private key (never its contents)
        PacsNodes,          ///< QVariantList of the PACS dialog's nodes (name, host, port, AE titles)
    };

    static QVariant value(Key key);
    static void setValue(Key key, const QVariant& value);
    static void remove(Key key);

    static QStringList recentFiles();
    /// Adds `path` at the front (no-op while remembering is off); keeps at most 10.
    static void addRecentFile(const QString& path);
    static void clearRecentFiles();
    static bool rememberRecentFiles();
    /// Turning remembering off also forgets the list.
    static void setRememberRecentFiles(bool remember);
};

} // namespace medveil::ui
