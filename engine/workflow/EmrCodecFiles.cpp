// SPDX-License-Identifier: GPL-3.0-or-later
#include "workflow/EmrCodecFiles.h"

#include "crypto/Digest.h"
#include "emr/EmrImageCodec.h"
#include "io/AtomicFile.h"
#include "io/ImageIo.h"

namespace medveil::workflow {

Result<EncodedEmrFile> encodeEmrFile(const std::filesystem::path& emr, const std::filesystem::path& out,
                                     int width, int height, int base)
{
    MEDVEIL_ASSIGN_OR_RETURN(const Bytes text, readFileBytes(emr));
    MEDVEIL_ASSIGN_OR_RETURN(const Bytes paddingKey, randomBytes(32));
    const EmrImageCodec codec(base);
    MEDVEIL_ASSIGN_OR_RETURN(const Image image,
                             codec.encode(std::string(text.begin(), text.end()), width, height, paddingKey));
    MEDVEIL_TRY(writePng(out, image, {}, {emr}));
    return EncodedEmrFile{text.size(), codec.capacityBytes(width, height), base, codec.noiseTolerance()};
}

Result<std::string> decodeEmrFile(const std::filesystem::path& input, const std::filesystem::path& out)
{
    MEDVEIL_ASSIGN_OR_RETURN(const Image image, readImage(input));
    MEDVEIL_ASSIGN_OR_RETURN(std::string text, EmrImageCodec::decode(image));
    MEDVEIL_TRY(writeFileAtomically(out, toBytes(text), {input}, FileMode::Private));
    return text;
}

} // namespace medveil::workflow
