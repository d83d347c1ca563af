// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

class QWidget;

namespace medveil::ui {

/// A save dialog for an output derived from `inputPath`: opens in the input's folder with a suggested name
/// (INPUT-`suffix`.png, or .dcm when the input is DICOM: the header travels on), offers DICOM only for DICOM
/// inputs, and adds the extension of the chosen filter. Empty when cancelled.
QString askOutputPath(QWidget* parent, const QString& title, const QString& inputPath, const QString& suffix,
                      bool dicomInput);

} // namespace medveil::ui
