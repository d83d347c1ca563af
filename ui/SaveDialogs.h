// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

class QWidget;

namespace medveil::ui {

/// What a DICOM output of a save dialog holds: the dialog's filter names it.
enum class DicomOutput
{
    HeaderKept,       ///< the input's header with new pixels (a protected file)
    HeaderRestored,   ///< the original header back (a recovered or opened file)
    DeidentifiedSeal, ///< a de-identified Secondary Capture; the identity travels encrypted inside
};

/// A save dialog for an output derived from `inputPath`: opens in the input's folder with a suggested name
/// (INPUT-`suffix`.png, or .dcm when the input is DICOM), offers DICOM only for DICOM inputs, named by
/// what it writes (`dicomOutput`), and adds the extension of the chosen filter. Empty when cancelled.
QString askOutputPath(QWidget* parent, const QString& title, const QString& inputPath, const QString& suffix,
                      bool dicomInput, DicomOutput dicomOutput = DicomOutput::HeaderKept);

} // namespace medveil::ui
