// SPDX-License-Identifier: GPL-3.0-or-later
#include "workflow/KeyPairFiles.h"

#include "crypto/RsaKey.h"
#include "io/AtomicFile.h"

namespace medveil::workflow {

Result<CreatedKeyPair> createKeyPair(const KeyPairRequest& request)
{
    if (request.bits < RsaKey::kMinimumBits)
        return makeError(ErrorKind::Usage,
                         "the key size must be at least " + std::to_string(RsaKey::kMinimumBits) + " bits");
    std::error_code ec;
    if (request.privatePath == request.publicPath ||
        std::filesystem::equivalent(request.privatePath, request.publicPath, ec))
        return makeError(ErrorKind::Usage, "the private and the public key must be different files");
    if (!request.replaceExisting)
        for (const auto& path : {request.privatePath, request.publicPath})
            if (std::filesystem::exists(path, ec) || std::filesystem::is_symlink(path, ec))
                return makeError(ErrorKind::BadInput,
                                 std::string("'")
                                     .append(path.string())
                                     .append("' exists; MedVeil never writes over a key file")
                                     .append(request.replaceAdvice.empty()
                                                 ? std::string()
                                                 : " (" + request.replaceAdvice + ")"));
    MEDVEIL_ASSIGN_OR_RETURN(const RsaKey key, RsaKey::generate(request.bits));
    MEDVEIL_ASSIGN_OR_RETURN(const std::string privatePem, key.privatePem(request.passphrase));
    MEDVEIL_ASSIGN_OR_RETURN(const std::string publicPem, key.publicPem());
    MEDVEIL_ASSIGN_OR_RETURN(Bytes fingerprint, key.fingerprint());
    MEDVEIL_TRY(
        writeFileAtomically(request.privatePath, toBytes(privatePem), request.inputs, FileMode::Private));
    if (auto status = writeFileAtomically(request.publicPath, toBytes(publicPem), request.inputs); !status) {
        std::filesystem::remove(request.privatePath, ec); // never leave half a key pair behind
        return status.error();
    }
    return CreatedKeyPair{key.bits(), std::move(fingerprint)};
}

} // namespace medveil::workflow
