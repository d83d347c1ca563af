// SPDX-License-Identifier: GPL-3.0-or-later
// net::storeFile: the forward queue's one C-STORE (DCMTK's DcmStorageSCU), in the DICOM plugin.
#include "net/ForwardQueue.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmnet/dstorscu.h>

#include <cstdio>

namespace fs = std::filesystem;

namespace medveil::net {

namespace {

/// DcmStorageSCU that keeps the C-STORE response status of the (single) instance it sent.
class SingleStoreScu : public DcmStorageSCU
{
public:
    bool sent = false;
    Uint16 status = 0xFFFF;

protected:
    void notifySOPInstanceSent(const TransferEntry& entry) override
    {
        sent = entry.RequestSent;
        status = entry.ResponseStatusCode;
    }
};

std::string hex4(unsigned value)
{
    char text[8];
    std::snprintf(text, sizeof text, "%04X", value & 0xFFFFu);
    return text;
}

} // namespace

Status storeFile(const fs::path& file, const ForwardDestination& destination)
{
    SingleStoreScu scu;
    scu.setPeerHostName(destination.host.c_str());
    scu.setPeerPort(destination.port);
    scu.setPeerAETitle(destination.calledAe.c_str());
    scu.setAETitle(destination.callingAe.c_str());
    scu.setConnectionTimeout(destination.connectTimeoutS);
    scu.setACSETimeout(static_cast<Uint32>(destination.acseTimeoutS));
    scu.setDIMSEBlockingMode(DIMSE_NONBLOCKING);
    scu.setDIMSETimeout(static_cast<Uint32>(destination.dimseTimeoutS));
    const std::string where =
        destination.calledAe + "@" + destination.host + ":" + std::to_string(destination.port);
    OFCondition cond = scu.addDicomFile(file.c_str(), ERM_fileOnly, OFFalse);
    if (cond.bad())
        return makeError(ErrorKind::BadInput,
                         "cannot forward '" + file.filename().string() + "': " + cond.text());
    cond = scu.addPresentationContexts();
    if (cond.good())
        cond = scu.initNetwork();
    if (cond.good())
        cond = scu.negotiateAssociation();
    if (cond.bad())
        return makeError(ErrorKind::BadInput, "no association with " + where + ": " + cond.text());
    cond = scu.sendSOPInstances();
    scu.releaseAssociation();
    if (cond.bad())
        return makeError(ErrorKind::BadInput, "C-STORE to " + where + " failed: " + cond.text());
    if (!scu.sent)
        return makeError(ErrorKind::BadInput, "C-STORE to " + where + ": no presentation context accepted");
    // Success (0000) and the warnings (B000, B007, B006: stored with coercion or elements discarded).
    if (scu.status != 0x0000 && (scu.status & 0xF000) != 0xB000)
        return makeError(ErrorKind::BadInput, "C-STORE to " + where + " answered status " + hex4(scu.status));
    return {};
}

} // namespace medveil::net
