// SPDX-License-Identifier: GPL-3.0-or-later
#include "io/DicomSeries.h"

#include "io/DicomDataset.h"

#include <algorithm>
#include <fstream>
#include <map>

namespace medveil {

namespace {

/// The 128-byte preamble and "DICM": a Part 10 file. Anything else is not read further.
bool hasPart10Preamble(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    char head[132];
    return in.read(head, sizeof head) && std::equal(head + 128, head + 132, "DICM");
}

int number(DcmItem& item, const DcmTagKey& key)
{
    Sint32 value = 0;
    return item.findAndGetSint32(key, value).good() ? int(value) : 0;
}

} // namespace

Result<DicomFolderScan> scanDicomFolder(const std::filesystem::path& folder, const JobControl& control,
                                        size_t maxFiles)
{
    std::error_code ec;
    if (!std::filesystem::is_directory(folder, ec))
        return makeError(ErrorKind::BadInput, folder.string() + " is not a folder");
    std::vector<std::filesystem::path> files;
    DicomFolderScan scan;
    for (auto it = std::filesystem::recursive_directory_iterator(
             folder, std::filesystem::directory_options::skip_permission_denied, ec);
         !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
        if (!it->is_regular_file(ec))
            continue;
        if (files.size() == maxFiles) {
            scan.truncated = true;
            break;
        }
        files.push_back(it->path());
    }
    std::sort(files.begin(), files.end());
    initialiseDcmtk();
    std::map<std::string, DicomSeriesEntry> bySeries;
    for (size_t i = 0; i < files.size(); ++i) {
        if (control.cancelled())
            return makeError(ErrorKind::Cancelled, "cancelled");
        control.report(double(i) / double(files.size()), "reading headers");
        const auto& path = files[i];
        if (!hasPart10Preamble(path)) {
            ++scan.skippedFiles;
            continue;
        }
        DcmFileFormat file;
        // The header only: stop before the pixels, which may be hundreds of megabytes.
        if (file.loadFileUntilTag(path.c_str(), EXS_Unknown, EGL_noChange, DCM_MaxReadLength, ERM_autoDetect,
                                  DCM_PixelData)
                .bad()) {
            ++scan.skippedFiles;
            continue;
        }
        (void)file.convertToUTF8(); // names in any character set as UTF-8; on failure they stay as stored
        DcmDataset& ds = *file.getDataset();
        if (!ds.tagExists(DCM_Rows)) { // a DICOMDIR, a report, a plan: not an image
            ++scan.skippedFiles;
            continue;
        }
        std::string seriesUid = stringValue(ds, DCM_SeriesInstanceUID);
        if (seriesUid.empty()) // a broken file without one: its folder stands for the series
            seriesUid = "folder:" + path.parent_path().string();
        DicomSeriesEntry& series = bySeries[seriesUid];
        if (series.instances.empty()) {
            series.seriesUid = seriesUid;
            series.studyUid = stringValue(ds, DCM_StudyInstanceUID);
            series.modality = stringValue(ds, DCM_Modality);
            series.seriesDescription = stringValue(ds, DCM_SeriesDescription);
            series.studyDate = stringValue(ds, DCM_StudyDate);
            series.seriesNumber = number(ds, DCM_SeriesNumber);
            series.patientName = stringValue(ds, DCM_PatientName);
            series.patientId = stringValue(ds, DCM_PatientID);
        }
        series.instances.push_back(
            {path, number(ds, DCM_InstanceNumber), stringValue(ds, DCM_SOPInstanceUID)});
        ++scan.filesRead;
    }
    for (auto& [uid, series] : bySeries) {
        std::stable_sort(series.instances.begin(), series.instances.end(),
                         [](const DicomInstanceEntry& a, const DicomInstanceEntry& b) {
                             return a.instanceNumber < b.instanceNumber;
                         });
        scan.series.push_back(std::move(series));
    }
    std::stable_sort(scan.series.begin(), scan.series.end(),
                     [](const DicomSeriesEntry& a, const DicomSeriesEntry& b) {
                         return std::tie(a.studyDate, a.studyUid, a.seriesNumber) <
                                std::tie(b.studyDate, b.studyUid, b.seriesNumber);
                     });
    control.report(1.0, "read");
    return scan;
}

} // namespace medveil
