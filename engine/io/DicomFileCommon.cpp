// SPDX-License-Identifier: GPL-3.0-or-later
// The parts of io/DicomFile.h that need no DCMTK: they run in the programs without loading the DICOM
// plugin (io/DicomModule.h).
#include "io/DicomFile.h"

#include "io/DicomIdentityBlock.h"

namespace medveil {

bool DicomFile::isDicom(const Bytes& data)
{
    return data.size() > 132 && data[128] == 'D' && data[129] == 'I' && data[130] == 'C' && data[131] == 'M';
}

double DicomFile::modalityValue(int stored) const
{
    return modalityScale().toModality(stored);
}

ModalityScale DicomFile::modalityScale() const
{
    ModalityScale scale;
    scale.slope = m_info.rescaleSlope == 0 ? 1.0 : m_info.rescaleSlope;
    scale.intercept = m_info.rescaleIntercept - (m_info.isSigned ? kSignedOffset * scale.slope : 0.0);
    scale.modality = m_info.modality;
    // Modality is a code string: padded with a space to an even length.
    while (!scale.modality.empty() && scale.modality.back() == ' ')
        scale.modality.pop_back();
    return scale;
}

std::string readableIdentity(const std::string& emrSection)
{
    const auto begin = emrSection.rfind(kIdentityBlockBegin), end = emrSection.rfind(kIdentityBlockEnd);
    if (begin == std::string::npos || end == std::string::npos || end < begin)
        return emrSection;
    std::string out = emrSection.substr(0, begin);
    const size_t after = emrSection.find('\n', end);
    if (after != std::string::npos)
        out += emrSection.substr(after + 1);
    // The section starts with a blank line (it was once appended to the EMR); a file starts with text.
    while (!out.empty() && out.front() == '\n')
        out.erase(out.begin());
    return out;
}

} // namespace medveil
