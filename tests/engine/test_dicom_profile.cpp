// SPDX-License-Identifier: GPL-3.0-or-later
// emr-seal's DICOM header against the standard's own list: every attribute of PS3.15 Table E.1-1 (read from
// engine/io/data/ps3.15-table-e1-1.tsv, independently of the engine's parser) is put into a real CT header
// with a value of its VR; the sealed header must follow each row's Basic Profile action and the restored
// header must give every value back.
#include "io/DicomFile.h"

#include <dcmtk/dcmdata/dctk.h>
#include <opencv2/core.hpp>

#include <QtTest>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace medveil;

namespace {
const std::string kCt = "/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm";

struct Row
{
    unsigned group = 0, element = 0;
    std::string action, name;
};

std::vector<Row> standardRows(int& repeatingOrPrivate)
{
    std::ifstream in(std::string(MEDVEIL_SOURCE_DIR) + "/engine/io/data/ps3.15-table-e1-1.tsv");
    std::vector<Row> rows;
    std::string line;
    repeatingOrPrivate = 0;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#')
            continue;
        std::istringstream fields(line);
        std::string tag;
        Row row;
        std::getline(fields, tag, '\t');
        std::getline(fields, row.action, '\t');
        std::getline(fields, row.name);
        if (tag.size() != 8 || tag.find('x') != std::string::npos) {
            ++repeatingOrPrivate;
            continue;
        }
        row.group = unsigned(std::stoul(tag.substr(0, 4), nullptr, 16));
        row.element = unsigned(std::stoul(tag.substr(4), nullptr, 16));
        rows.push_back(row);
    }
    return rows;
}

/// A value of the attribute's VR that identifies it (and so can be searched for in the sealed bytes).
bool putTestValue(DcmDataset& ds, const DcmTag& tag, int n)
{
    const std::string id = std::to_string(n);
    switch (tag.getEVR()) {
    case EVR_SQ: {
        DcmItem* item = nullptr;
        if (ds.findOrCreateSequenceItem(tag, item, 0).bad() || !item)
            return false;
        return item->putAndInsertString(DCM_CodeMeaning, ("Secret item " + id).c_str()).good();
    }
    case EVR_PN:
        return ds.putAndInsertString(tag, ("Secretname" + id + "^Jane").c_str()).good();
    case EVR_DA:
        return ds.putAndInsertString(tag, "19700101").good();
    case EVR_TM:
        return ds.putAndInsertString(tag, "101112").good();
    case EVR_DT:
        return ds.putAndInsertString(tag, "19700101101112").good();
    case EVR_UI:
        return ds.putAndInsertString(tag, ("1.2.826.0.1.3680043.9.7777." + id).c_str()).good();
    case EVR_AS:
        return ds.putAndInsertString(tag, "042Y").good();
    case EVR_CS:
        return ds.putAndInsertString(tag, ("SECRET" + id).substr(0, 16).c_str()).good();
    case EVR_AE:
        return ds.putAndInsertString(tag, ("SECRETAE" + id).c_str()).good();
    case EVR_IS:
    case EVR_US:
    case EVR_UL:
    case EVR_SS:
    case EVR_SL:
        return ds.putAndInsertString(tag, "7").good();
    case EVR_DS:
    case EVR_FL:
    case EVR_FD:
        return ds.putAndInsertString(tag, "1.5").good();
    case EVR_LO:
    case EVR_SH:
    case EVR_LT:
    case EVR_ST:
    case EVR_UT:
    case EVR_UC:
        return ds.putAndInsertString(tag, ("Secret text " + id).c_str()).good();
    case EVR_OB:
    case EVR_UN: {
        const std::string bytes = "Secret bytes " + id + (id.size() % 2 ? "" : " ");
        return ds
            .putAndInsertUint8Array(tag, reinterpret_cast<const Uint8*>(bytes.data()),
                                    static_cast<unsigned long>(bytes.size()))
            .good();
    }
    default:
        return false; // AT, OW, OF, UR, …: too few rows to matter, and no identifying text to search for
    }
}

std::string valueOf(DcmItem& item, const DcmTagKey& tag)
{
    DcmElement* element = nullptr;
    if (item.findAndGetElement(tag, element).bad() || !element)
        return "<absent>";
    if (element->ident() == EVR_SQ) {
        DcmItem* first = nullptr;
        OFString meaning;
        if (item.findAndGetSequenceItem(tag, first, 0).good() && first)
            first->findAndGetOFString(DCM_CodeMeaning, meaning);
        return "<sequence " + std::string(meaning.c_str()) + ">";
    }
    OFString value;
    element->getOFStringArray(value);
    return value.c_str();
}

std::string fileBytes(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}
} // namespace

class TestDicomProfile : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyAttributeOfTheStandardsTableFollowsItsAction()
    {
        int special = 0;
        const std::vector<Row> rows = standardRows(special);
        // PS3.15 2025a: 621 rows, three of them repeating groups (50xx, 60xx) and one "odd groups".
        QVERIFY2(rows.size() + size_t(special) >= 600, "the standard's table was not read");
        QCOMPARE(special, 4);

        DcmFileFormat file;
        QVERIFY(file.loadFile(kCt.c_str()).good());
        DcmDataset& ds = *file.getDataset();
        std::vector<Row> inserted;
        int n = 0;
        for (const Row& row : rows) {
            const DcmTag tag(Uint16(row.group), Uint16(row.element));
            // Command (0000) and file meta (0002) elements are not dataset attributes; the sealer writes its
            // own trailing padding and signatures: none of them can be put into a dataset.
            if (row.group == 0x0000 || row.group == 0x0002 || row.group >= 0xFFFA || row.group == 0x7FE0)
                continue;
            if (putTestValue(ds, tag, ++n))
                inserted.push_back(row);
        }
        qInfo("%zu of the table's %zu single-tag rows put into the CT header", inserted.size(), rows.size());
        QVERIFY2(inserted.size() >= 550, qPrintable(QString::number(inserted.size())));
        // A vendor's private block, which the profile removes.
        QVERIFY(ds.putAndInsertString(DcmTag(0x0009, 0x0010, EVR_LO), "ACME").good());
        QVERIFY(ds.putAndInsertString(DcmTag(0x0009, 0x1001, EVR_LO), "Secret private text").good());

        const auto dir = std::filesystem::temp_directory_path() / "medveil-test-profile";
        std::filesystem::create_directories(dir);
        QVERIFY(file.saveFile((dir / "all.dcm").c_str(), EXS_LittleEndianExplicit).good());
        DcmFileFormat original;
        QVERIFY(original.loadFile((dir / "all.dcm").c_str()).good());

        auto ct = DicomFile::read(dir / "all.dcm");
        QVERIFY2(ct.ok(), ct.ok() ? "" : ct.error().message.c_str());
        auto identity = ct->identity();
        QVERIFY(identity.ok());
        QVERIFY(identity->attributeCount >= 500);
        auto header = ct->deidentified();
        QVERIFY2(header.ok(), header.ok() ? "" : header.error().message.c_str());
        cv::Mat noise(ct->image().height(), ct->image().width(), CV_8U);
        cv::randu(noise, 0, 256);
        auto sealedBytes = header->encodeSealed(*Image::fromMat(noise), {}, *identity);
        QVERIFY(sealedBytes.ok());
        std::ofstream(dir / "sealed.dcm", std::ios::binary)
            .write(reinterpret_cast<const char*>(sealedBytes->data()), std::streamsize(sealedBytes->size()));

        DcmFileFormat sealed;
        QVERIFY(sealed.loadFile((dir / "sealed.dcm").c_str()).good());
        QStringList violations;
        for (const Row& row : inserted) {
            const DcmTagKey tag(Uint16(row.group), Uint16(row.element));
            const std::string before = valueOf(*original.getDataset(), tag);
            const std::string after = valueOf(*sealed.getDataset(), tag);
            const bool absent = after == "<absent>", empty = after.empty();
            const bool changed = !absent && !empty && after != before;
            const auto allows = [&](char c) { return row.action.find(c) != std::string::npos; };
            const bool ok = absent || (empty && allows('Z')) || (changed && (allows('D') || allows('U')));
            if (!ok)
                violations << QString::fromStdString(row.name + " (" + row.action + "): " + after);
        }
        QVERIFY2(violations.isEmpty(), qPrintable(violations.join("; ")));
        QCOMPARE(valueOf(*sealed.getDataset(), DcmTagKey(0x0009, 0x1001)), std::string("<absent>"));
        // Nothing identifying is left anywhere in the file's bytes, sequences and private blocks included.
        const std::string bytes = fileBytes(dir / "sealed.dcm");
        for (const char* secret : {"Secretname", "Secret text", "Secret item", "Secret bytes",
                                   "Secret private", "3680043.9.7777", "SECRET"})
            QVERIFY2(bytes.find(secret) == std::string::npos, secret);

        // emr-open puts every attribute back as it was.
        auto sealedFile = DicomFile::read(dir / "sealed.dcm");
        QVERIFY(sealedFile.ok());
        auto restoredBytes = sealedFile->encodeRestored(ct->image(), identity->emrSection);
        QVERIFY2(restoredBytes.ok(), restoredBytes.ok() ? "" : restoredBytes.error().message.c_str());
        std::ofstream(dir / "restored.dcm", std::ios::binary)
            .write(reinterpret_cast<const char*>(restoredBytes->data()),
                   std::streamsize(restoredBytes->size()));
        DcmFileFormat restored;
        QVERIFY(restored.loadFile((dir / "restored.dcm").c_str()).good());
        QStringList lost;
        for (const Row& row : inserted) {
            const DcmTagKey tag(Uint16(row.group), Uint16(row.element));
            if (valueOf(*restored.getDataset(), tag) != valueOf(*original.getDataset(), tag))
                lost << QString::fromStdString(row.name);
        }
        QVERIFY2(lost.isEmpty(), qPrintable(lost.join("; ")));
        QCOMPARE(valueOf(*restored.getDataset(), DcmTagKey(0x0009, 0x1001)),
                 std::string("Secret private text"));
        std::filesystem::remove_all(dir);
    }
};

QTEST_GUILESS_MAIN(TestDicomProfile)
#include "test_dicom_profile.moc"
