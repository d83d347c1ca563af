// SPDX-License-Identifier: GPL-3.0-or-later
// DicomFile::attributes(): the dataset as a tag viewer lists it.
#include "io/DicomDataset.h"

#include <cstdio>

namespace medveil {

namespace {

constexpr size_t kMaxValueCharacters = 256;

std::string shown(DcmElement& element)
{
    if (element.ident() == EVR_SQ)
        return "(sequence of " + std::to_string(static_cast<DcmSequenceOfItems&>(element).card()) +
               " item(s))";
    const DcmVR vr(element.getVR());
    if (element.getTag() == DCM_PixelData || vr.getValidEVR() == EVR_OB || vr.getValidEVR() == EVR_OW ||
        vr.getValidEVR() == EVR_UN || vr.getValidEVR() == EVR_OF || vr.getValidEVR() == EVR_OD ||
        vr.getValidEVR() == EVR_OL || vr.getValidEVR() == EVR_OV)
        return "(binary, " + std::to_string(element.getLength()) + " bytes)";
    OFString value;
    if (element.getOFStringArray(value).bad())
        return "(unreadable)";
    std::string out = value.c_str();
    if (out.size() > kMaxValueCharacters) {
        size_t cut = kMaxValueCharacters;
        while (cut > 0 &&
               (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) // not inside a UTF-8 character
            --cut;
        out = out.substr(0, cut) + "…";
    }
    return out;
}

void list(DcmItem& item, std::vector<DicomAttribute>& out)
{
    for (unsigned long i = 0; i < item.card(); ++i) {
        DcmElement* element = item.getElement(i);
        DcmTag tag(element->getTag());
        char key[16];
        std::snprintf(key, sizeof key, "(%04X,%04X)", tag.getGroup(), tag.getElement());
        const std::string keyword = tag.getTagName();
        out.push_back({key, keyword == "Unknown Tag & Data" ? std::string() : keyword,
                       DcmVR(element->getVR()).getVRName(), shown(*element)});
    }
}

} // namespace

std::vector<DicomAttribute> DicomFile::attributes() const
{
    initialiseDcmtk();
    // A converted copy: names in ISO_IR 100, GB18030, … read as UTF-8; the file itself is untouched.
    DcmFileFormat utf8(m_dataset->file);
    (void)utf8.convertToUTF8();
    std::vector<DicomAttribute> out;
    list(*utf8.getMetaInfo(), out);
    list(*utf8.getDataset(), out);
    return out;
}

} // namespace medveil
