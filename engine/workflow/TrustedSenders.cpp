// SPDX-License-Identifier: GPL-3.0-or-later
#include "workflow/TrustedSenders.h"

#include "crypto/ContainerSignature.h"
#include "crypto/Digest.h"
#include "io/AtomicFile.h"

#include <algorithm>
#include <cstdlib>
#include <sys/stat.h>

namespace medveil::workflow {

namespace {

constexpr std::string_view kSenderTag = "sender ";
constexpr std::string_view kPemBegin = "-----BEGIN PUBLIC KEY-----";
constexpr std::string_view kPemEnd = "-----END PUBLIC KEY-----";
constexpr size_t kFingerprintBytes = 32;

Error lineError(size_t line, const std::string& what)
{
    return Error{ErrorKind::BadInput, "trusted-sender list, line " + std::to_string(line) + ": " + what};
}

bool isOneLine(const std::string& name)
{
    return !name.empty() && name.find_first_of("\r\n") == std::string::npos;
}

std::string trimmed(std::string_view s)
{
    const size_t first = s.find_first_not_of(" \t\r");
    if (first == std::string_view::npos)
        return {};
    const size_t last = s.find_last_not_of(" \t\r");
    return std::string(s.substr(first, last - first + 1));
}

} // namespace

Result<Bytes> parseFingerprint(std::string_view hex)
{
    if (hex.size() != 2 * kFingerprintBytes)
        return makeError(ErrorKind::BadInput, "a fingerprint is 64 hexadecimal digits");
    Bytes out;
    out.reserve(kFingerprintBytes);
    auto digit = [](char c) -> int {
        if (c >= '0' && c <= '9')
            return c - '0';
        if (c >= 'a' && c <= 'f')
            return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
            return c - 'A' + 10;
        return -1;
    };
    for (size_t i = 0; i < hex.size(); i += 2) {
        const int high = digit(hex[i]), low = digit(hex[i + 1]);
        if (high < 0 || low < 0)
            return makeError(ErrorKind::BadInput, "a fingerprint is 64 hexadecimal digits");
        out.push_back(static_cast<uint8_t>(high * 16 + low));
    }
    return out;
}

Result<std::filesystem::path> TrustedSenderList::defaultPath()
{
    // XDG Base Directory: only an absolute XDG_CONFIG_HOME counts.
    const char* xdg = std::getenv("XDG_CONFIG_HOME");
    if (xdg && *xdg && std::filesystem::path(xdg).is_absolute())
        return std::filesystem::path(xdg) / "MedVeil" / "trusted-senders";
    const char* home = std::getenv("HOME");
    if (home && *home)
        return std::filesystem::path(home) / ".config" / "MedVeil" / "trusted-senders";
    return makeError(ErrorKind::BadInput,
                     "neither XDG_CONFIG_HOME nor HOME is set: no place for the trusted-sender list");
}

Result<TrustedSenderList> TrustedSenderList::parse(std::string_view text)
{
    TrustedSenderList list;
    size_t lineNumber = 0, pemStart = 0;
    std::optional<std::string> pem; // inside a PEM block of the last entry
    size_t pos = 0;
    while (pos < text.size()) {
        size_t eol = text.find('\n', pos);
        if (eol == std::string_view::npos)
            eol = text.size();
        const std::string line = trimmed(text.substr(pos, eol - pos));
        pos = eol + 1;
        ++lineNumber;
        if (pem) {
            pem->append(line).push_back('\n');
            if (line == kPemEnd) {
                auto key = RsaKey::fromPem(*pem);
                if (!key || key->hasPrivate())
                    return lineError(pemStart, "not an RSA public key in PEM format");
                auto fingerprint = key->fingerprint();
                if (!fingerprint)
                    return fingerprint.error();
                if (!constantTimeEqual(*fingerprint, list.m_senders.back().fingerprint))
                    return lineError(pemStart, "the public key does not match the fingerprint of its sender");
                list.m_senders.back().publicKeyPem = std::move(*pem);
                pem.reset();
            }
            continue;
        }
        if (line.empty() || line.front() == '#')
            continue;
        if (line == kPemBegin) {
            if (list.m_senders.empty() || !list.m_senders.back().publicKeyPem.empty())
                return lineError(lineNumber, "a public key must follow its 'sender' line");
            pem = line + '\n';
            pemStart = lineNumber;
            continue;
        }
        if (line.rfind(kSenderTag, 0) != 0)
            return lineError(lineNumber, "expected 'sender FINGERPRINT NAME', a PEM public key or a comment");
        const std::string rest = trimmed(std::string_view(line).substr(kSenderTag.size()));
        const size_t space = rest.find_first_of(" \t");
        if (space == std::string::npos)
            return lineError(lineNumber, "a sender needs a fingerprint and a name");
        auto fingerprint = parseFingerprint(rest.substr(0, space));
        if (!fingerprint)
            return lineError(lineNumber, fingerprint.error().message);
        const std::string name = trimmed(std::string_view(rest).substr(space));
        if (list.find(*fingerprint))
            return lineError(lineNumber, "this fingerprint is listed twice");
        list.m_senders.push_back({name, std::move(*fingerprint), {}});
    }
    if (pem)
        return lineError(pemStart, "the public key has no END line");
    return list;
}

Result<TrustedSenderList> TrustedSenderList::load(const std::filesystem::path& path)
{
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
        return TrustedSenderList{};
    auto bytes = readFileBytes(path);
    if (!bytes)
        return bytes.error();
    auto list = parse(std::string_view(reinterpret_cast<const char*>(bytes->data()), bytes->size()));
    if (!list)
        return makeError(list.error().kind, path.string() + ": " + list.error().message);
    return list;
}

std::string TrustedSenderList::serialize() const
{
    std::string out =
        "# MedVeil trusted senders: files signed by these keys are accepted by\n"
        "# `medveil-cli recover|emr-open --verify-trusted` and named in the GUI's verdicts.\n"
        "# sender <SHA-256 of the public key, hex> <name>, optionally followed by the key (PEM).\n";
    for (const TrustedSender& sender : m_senders) {
        out += std::string(kSenderTag) + hexEncode(sender.fingerprint) + " " + sender.name + "\n";
        out += sender.publicKeyPem;
        if (!sender.publicKeyPem.empty() && sender.publicKeyPem.back() != '\n')
            out += '\n';
    }
    return out;
}

Status TrustedSenderList::save(const std::filesystem::path& path) const
{
    const std::filesystem::path folder = path.parent_path();
    std::error_code ec;
    if (!folder.empty() && !std::filesystem::exists(folder, ec)) {
        std::filesystem::create_directories(folder, ec);
        if (ec)
            return makeError(ErrorKind::BadInput, "cannot create " + folder.string() + ": " + ec.message());
        ::chmod(folder.c_str(), 0700); // what the list says about its user is theirs only
    }
    return writeFileAtomically(path, toBytes(serialize()), {}, FileMode::Private);
}

const TrustedSender* TrustedSenderList::find(const Bytes& fingerprint) const
{
    const auto it = std::find_if(m_senders.begin(), m_senders.end(),
                                 [&](const TrustedSender& s) { return s.fingerprint == fingerprint; });
    return it == m_senders.end() ? nullptr : &*it;
}

Status TrustedSenderList::add(const std::string& name, const RsaKey& publicKey)
{
    auto fingerprint = publicKey.fingerprint();
    if (!fingerprint)
        return fingerprint.error();
    auto pem = publicKey.publicPem();
    if (!pem)
        return pem.error();
    MEDVEIL_TRY(addFingerprint(name, *fingerprint));
    for (TrustedSender& sender : m_senders)
        if (sender.fingerprint == *fingerprint)
            sender.publicKeyPem = *pem;
    return {};
}

Status TrustedSenderList::addFingerprint(const std::string& name, const Bytes& fingerprint)
{
    const std::string clean = trimmed(name);
    if (!isOneLine(clean))
        return makeError(ErrorKind::Usage, "a trusted sender needs a name of one line");
    if (fingerprint.size() != kFingerprintBytes)
        return makeError(ErrorKind::Usage, "a fingerprint is 32 bytes (SHA-256)");
    for (TrustedSender& sender : m_senders)
        if (sender.fingerprint == fingerprint) {
            sender.name = clean;
            return {};
        }
    m_senders.push_back({clean, fingerprint, {}});
    return {};
}

bool TrustedSenderList::remove(const Bytes& fingerprint)
{
    const auto before = m_senders.size();
    std::erase_if(m_senders, [&](const TrustedSender& s) { return s.fingerprint == fingerprint; });
    return m_senders.size() != before;
}

SignerRequirement::SignerRequirement(std::optional<RsaKey> key) : m_key(std::move(key)) {}

SignerRequirement::SignerRequirement(TrustedSenderList list) : m_list(std::move(list)) {}

Result<std::optional<Bytes>>
SignerRequirement::check(const Image& pixels, const std::map<std::string, std::string>& metadata) const
{
    if (!m_list)
        return ContainerSignature::check(pixels, metadata, m_key);
    // The signature is verified with the key the file carries; the list decides whether that key counts.
    auto signedBy = ContainerSignature::verify(pixels, metadata);
    if (!signedBy)
        return signedBy.error();
    if (!*signedBy)
        return makeError(
            ErrorKind::Auth,
            "the file is not signed, and --verify-trusted asks for a signature by a trusted sender");
    if (!m_list->find(**signedBy))
        return makeError(ErrorKind::Auth,
                         "the file is signed by a key that is not in the trusted-sender list (" +
                             hexEncode(**signedBy).substr(0, 16) + "…)");
    return signedBy;
}

} // namespace medveil::workflow
