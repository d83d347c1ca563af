// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/Bytes.h"

#include <QMap>
#include <QString>

#include <optional>

namespace medveil {
class RsaKey;
}

namespace medveil::ui {

/// The senders whose signatures this user trusts, for the GUI: the engine's trusted-sender list
/// (workflow/TrustedSenders.h, $XDG_CONFIG_HOME/MedVeil/trusted-senders), the same file that
/// `medveil-cli recover|emr-open --verify-trusted` reads. Recovery and EMR opening say whose signature a
/// file carries with describeSigner(). A list kept in the settings by earlier releases (fingerprint → name)
/// moves into the file the first time it is read.
namespace TrustedSenders {

/// fingerprint (lower-case hex) → name. Empty when the file cannot be read (see problem()).
QMap<QString, QString> all();
/// Trusts `publicKey` (kept with its PEM) under `name`; false with problem() set when it cannot be saved.
bool trust(const RsaKey& publicKey, const QString& name);
/// Trusts a key known by its fingerprint only.
bool trust(const QString& fingerprintHex, const QString& name);
bool forget(const QString& fingerprintHex);
/// Why the list could not be read or written last time ("" when it could).
QString problem();
/// The name given to this sender, or an empty string when not trusted.
QString nameOf(const QString& fingerprintHex);
/// "ab12 cd34 ef56 7890 …" — the first 16 bytes in groups, for display.
QString shortFingerprint(const QString& fingerprintHex);
/// One sentence for a verdict: signed by a trusted sender (named), by an unknown key, or not signed.
QString describeSigner(const std::optional<Bytes>& fingerprint);
/// True when the file is signed by a trusted sender.
bool isTrusted(const std::optional<Bytes>& fingerprint);

} // namespace TrustedSenders
} // namespace medveil::ui
