// SPDX-License-Identifier: GPL-3.0-or-later
#include "workflow/KeyPairFiles.h"

#include "crypto/KeyFile.h"
#include "crypto/RsaKey.h"
#include "io/AtomicFile.h"

#include <climits>

namespace medveil::workflow {

namespace fs = std::filesystem;

namespace {

/// Why a key file cannot be written at `path`, checked before anything is generated or touched: a
/// name the file system refuses, or something that is not a file (a folder, a device) standing there.
Status checkKeyTarget(const fs::path& path)
{
    for (const auto& component : path)
        if (component.native().size() > NAME_MAX)
            return makeError(ErrorKind::BadInput, "path too long: '" + path.string() +
                                                      "' has a name of more than " +
                                                      std::to_string(NAME_MAX) + " bytes");
    if (path.native().size() >= PATH_MAX)
        return makeError(ErrorKind::BadInput, "path too long: '" + path.string() + "'");
    std::error_code ec;
    const fs::file_status status = fs::status(path, ec);
    if (fs::exists(status) && !fs::is_regular_file(status))
        return makeError(ErrorKind::BadInput,
                         std::string(1, '\'')
                             .append(path.string())
                             .append("' is ")
                             .append(fs::is_directory(status) ? "a folder" : "not a regular file")
                             .append(", not a key file; nothing was changed"));
    return {};
}

} // namespace

Result<CreatedKeyPair> createKeyPair(const KeyPairRequest& request)
{
    if (request.bits < RsaKey::kMinimumBits)
        return makeError(ErrorKind::Usage,
                         "the key size must be at least " + std::to_string(RsaKey::kMinimumBits) + " bits");
    std::error_code ec;
    if (request.privatePath == request.publicPath ||
        std::filesystem::equivalent(request.privatePath, request.publicPath, ec))
        return makeError(ErrorKind::Usage, "the private and the public key must be different files");
    if (request.passphrase)
        MEDVEIL_TRY(checkNewPassphrase(*request.passphrase, request.allowWeakPassphrase));
    for (const auto& path : {request.privatePath, request.publicPath}) {
        MEDVEIL_TRY(checkKeyTarget(path));
        if (!request.replaceExisting &&
            (std::filesystem::exists(path, ec) || std::filesystem::is_symlink(path, ec)))
            return makeError(ErrorKind::BadInput,
                             std::string("'")
                                 .append(path.string())
                                 .append("' exists; MedVeil never writes over a key file")
                                 .append(request.replaceAdvice.empty() ? std::string()
                                                                       : " (" + request.replaceAdvice + ")"));
    }
    MEDVEIL_ASSIGN_OR_RETURN(const RsaKey key, RsaKey::generate(request.bits));
    MEDVEIL_ASSIGN_OR_RETURN(const std::string privatePem, key.privatePem(request.passphrase));
    MEDVEIL_ASSIGN_OR_RETURN(const std::string publicPem, key.publicPem());
    MEDVEIL_ASSIGN_OR_RETURN(Bytes fingerprint, key.fingerprint());
    // One commit for both files: both are staged completely before anything is renamed, so a failure
    // while writing (a full disk, a folder in the way) leaves an old pair as it was. The private key goes
    // last: whatever fails before it, the key every protected file depends on is never the one lost.
    MEDVEIL_TRY(
        writeFilesAtomically({PendingFile{request.publicPath, toBytes(publicPem), FileMode::Default},
                              PendingFile{request.privatePath, toBytes(privatePem), FileMode::Private}},
                             request.inputs));
    return CreatedKeyPair{key.bits(), std::move(fingerprint)};
}

} // namespace medveil::workflow
