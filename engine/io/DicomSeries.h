// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/Progress.h"
#include "core/Result.h"

#include <filesystem>
#include <string>
#include <vector>

namespace medveil {

/// One image of a series as found on disk (its header only).
struct DicomInstanceEntry
{
    std::filesystem::path path;
    int instanceNumber = 0; ///< InstanceNumber (0 when absent)
    std::string sopInstanceUid;
};

/// A series found in a folder: what a study/series browser lists.
struct DicomSeriesEntry
{
    std::string studyUid, seriesUid;
    std::string modality;          ///< CT, MR, …
    std::string seriesDescription; ///< UTF-8
    std::string studyDate;         ///< YYYYMMDD as stored
    int seriesNumber = 0;
    /// UTF-8 (converted from the file's character set). Patient data: a viewer shows them only on request.
    std::string patientName, patientId;
    std::vector<DicomInstanceEntry> instances; ///< by InstanceNumber, then file name
};

struct DicomFolderScan
{
    std::vector<DicomSeriesEntry> series; ///< by study date, study, series number
    size_t filesRead = 0;                 ///< DICOM Part 10 files grouped into series
    size_t skippedFiles = 0; ///< other files, DICOM files that are not images, headers that do not read
    bool truncated = false;  ///< more than maxFiles files: the rest were not looked at
};

/// Reads the headers (never the pixel data) of every DICOM Part 10 file in `folder` and its sub-folders
/// and groups the images by Series Instance UID. Files without the DICM preamble are skipped unread, those
/// without Rows (DICOMDIR, reports, plans) after their header; at most
/// `maxFiles` files are looked at. Progress per file; Cancelled when asked.
Result<DicomFolderScan> scanDicomFolder(const std::filesystem::path& folder, const JobControl& control = {},
                                        size_t maxFiles = 20000);

} // namespace medveil
