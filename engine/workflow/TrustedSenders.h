// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/Bytes.h"
#include "core/Image.h"
#include "core/Result.h"
#include "crypto/RsaKey.h"

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

/// The senders whose signatures a user trusts, in one file that the GUI (Key Manager, Recover and EMR
/// verdicts) and `medveil-cli recover|emr-open --verify-trusted` both read:
/// $XDG_CONFIG_HOME/MedVeil/trusted-senders (~/.config/MedVeil/trusted-senders without XDG_CONFIG_HOME).
///
/// The format is plain UTF-8 text, one entry per sender (docs/SECURITY.md):
///
///     # comments and blank lines are ignored
///     sender <SHA-256 of the DER public key, 64 hex digits> <name shown for the sender>
///     -----BEGIN PUBLIC KEY-----          (optional: the sender's key, PEM, checked against the
///     ...                                  fingerprint when the file is read)
///     -----END PUBLIC KEY-----
///
/// A fingerprint is enough to trust a signature: a signed file carries the signer's public key, the
/// signature is verified with it, and the key's fingerprint must be in the list.
namespace medveil::workflow {

struct TrustedSender
{
    std::string name;
    Bytes fingerprint;        ///< SHA-256 of the DER SubjectPublicKeyInfo (RsaKey::fingerprint)
    std::string publicKeyPem; ///< empty when only the fingerprint is known (entries moved from old settings)
};

class TrustedSenderList
{
public:
    /// $XDG_CONFIG_HOME/MedVeil/trusted-senders, or $HOME/.config/MedVeil/trusted-senders (XDG Base
    /// Directory rules: a relative XDG_CONFIG_HOME is ignored). BadInput when neither variable is usable.
    static Result<std::filesystem::path> defaultPath();
    /// The list in `path`; a missing file is an empty list. A malformed file is BadInput naming the line.
    static Result<TrustedSenderList> load(const std::filesystem::path& path);
    static Result<TrustedSenderList> parse(std::string_view text);

    [[nodiscard]] std::string serialize() const;
    /// Written atomically, owner-only (0600); the folder is created owner-only when missing.
    [[nodiscard]] Status save(const std::filesystem::path& path) const;

    [[nodiscard]] const std::vector<TrustedSender>& senders() const { return m_senders; }
    /// The sender with this fingerprint, or nullptr.
    [[nodiscard]] const TrustedSender* find(const Bytes& fingerprint) const;
    /// Trusts `publicKey` under `name` (renames an existing entry of the same key). A name must be one
    /// non-empty line: Usage otherwise.
    [[nodiscard]] Status add(const std::string& name, const RsaKey& publicKey);
    /// Trusts a key known only by its fingerprint (32 bytes).
    [[nodiscard]] Status addFingerprint(const std::string& name, const Bytes& fingerprint);
    /// False when no entry had this fingerprint.
    bool remove(const Bytes& fingerprint);

private:
    std::vector<TrustedSender> m_senders;
};

/// Whose signature a recovery or an EMR opening requires: nobody (a signature is still verified and
/// reported), one sender's key (`--verify SENDER_PUB.pem`) or any sender of a list (`--verify-trusted`).
class SignerRequirement
{
public:
    SignerRequirement() = default;
    SignerRequirement(std::optional<RsaKey> key); // NOLINT(google-explicit-constructor): --verify's key
    SignerRequirement(TrustedSenderList list);    // NOLINT(google-explicit-constructor)

    /// The signer's fingerprint (nullopt for an unsigned file when nothing is required). Auth when the
    /// signature does not verify, or the file is unsigned or signed by someone else than required.
    [[nodiscard]] Result<std::optional<Bytes>>
    check(const Image& pixels, const std::map<std::string, std::string>& metadata) const;

private:
    std::optional<RsaKey> m_key;
    std::optional<TrustedSenderList> m_list;
};

/// Parses 64 hexadecimal digits (either case) into 32 bytes; BadInput otherwise.
Result<Bytes> parseFingerprint(std::string_view hex);

} // namespace medveil::workflow
