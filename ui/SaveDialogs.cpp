// SPDX-License-Identifier: GPL-3.0-or-later
#include "SaveDialogs.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>

namespace medveil::ui {

QString askOutputPath(QWidget* parent, const QString& title, const QString& inputPath, const QString& suffix,
                      bool dicomInput, DicomOutput dicomOutput)
{
    const QString png = QCoreApplication::translate("SaveDialogs", "PNG image (*.png)");
    const QString dicom =
        dicomOutput == DicomOutput::DeidentifiedSeal
            ? QCoreApplication::translate(
                  "SaveDialogs", "DICOM de-identified Secondary Capture, identity sealed inside (*.dcm)")
        : dicomOutput == DicomOutput::HeaderRestored
            ? QCoreApplication::translate("SaveDialogs", "DICOM file, original header restored (*.dcm)")
            : QCoreApplication::translate("SaveDialogs", "DICOM file, header kept (*.dcm)");
    const QFileInfo input(inputPath);
    const QString folder = input.exists() ? input.absolutePath() : QDir::homePath();
    const QString suggested =
        QDir(folder).filePath(input.completeBaseName() + QLatin1Char('-') + suffix +
                              (dicomInput ? QStringLiteral(".dcm") : QStringLiteral(".png")));
    QString selected = dicomInput ? dicom : png;
    QString path = QFileDialog::getSaveFileName(
        parent, title, suggested, dicomInput ? dicom + QStringLiteral(";;") + png : png, &selected);
    if (path.isEmpty())
        return {};
    const bool wantsDicom = selected == dicom;
    const QString extension = wantsDicom ? QStringLiteral(".dcm") : QStringLiteral(".png");
    if (!path.endsWith(extension, Qt::CaseInsensitive))
        path += extension;
    return path;
}

} // namespace medveil::ui
