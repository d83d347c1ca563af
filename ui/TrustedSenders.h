// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/Bytes.h"

#include <QMap>
#include <QString>

#include <optional>

namespace medveil::ui {

/// The senders whose signatures this user trusts: SHA-256 fingerprints of their public keys (hex) with a
/// name the user gave each, kept in AppSettings (a fingerprint is not a secret). Recovery and EMR opening
/// say whose signature a file carries with describeSigner().
namespace TrustedSenders {

/// fingerprint (lower-case hex) → name.
QMap<QString, QString> all();
void trust(const QString& fingerprintHex, const QString& name);
void forget(const QString& fingerprintHex);
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
