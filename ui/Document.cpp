// SPDX-License-Identifier: GPL-3.0-or-later
#include "Document.h"

#include "ImageCanvas.h"
#include "io/DicomFile.h"

#include <QCoreApplication>
#include <QFileInfo>

namespace medveil::ui {

QString Document::fileName() const
{
    return QFileInfo(path).fileName();
}

Document Document::open(const QString& path, LoadedImage file)
{
    static std::uint64_t lastId = 0; // GUI thread only
    Document document;
    document.id = ++lastId;
    document.path = path;
    document.kind = workflow::classify(file);
    document.scale = file.dicom ? file.dicom->modalityScale() : ModalityScale();
    document.file = std::move(file);
    return document;
}

Workflow workflowFor(workflow::FileKind kind)
{
    switch (kind) {
    case workflow::FileKind::KeyRegionProtected:
        return Workflow::Recover;
    case workflow::FileKind::SealedEmr:
        return Workflow::Emr;
    case workflow::FileKind::Plain:
    case workflow::FileKind::SealedCipher:
    case workflow::FileKind::OtherMedVeil:
        break;
    }
    return Workflow::Protect;
}

QString kindName(workflow::FileKind kind)
{
    switch (kind) {
    case workflow::FileKind::Plain:
        return QCoreApplication::translate("Document", "an image");
    case workflow::FileKind::KeyRegionProtected:
        return QCoreApplication::translate("Document", "a key-region protected image");
    case workflow::FileKind::SealedEmr:
        return QCoreApplication::translate("Document", "a sealed EMR image");
    case workflow::FileKind::SealedCipher:
        return QCoreApplication::translate("Document", "a teaching cipher image (medveil-cli encrypt)");
    case workflow::FileKind::OtherMedVeil:
        return QCoreApplication::translate("Document",
                                           "a MedVeil file of a format this version does not know");
    }
    return {};
}

QString notApplicableReason(Workflow tab, workflow::FileKind kind)
{
    using workflow::FileKind;
    switch (tab) {
    case Workflow::Protect:
    case Workflow::Emr:
        if (kind == FileKind::Plain)
            return {};
        if (kind == FileKind::SealedEmr)
            return tab == Workflow::Emr
                       ? QString()
                       : QCoreApplication::translate(
                             "Document", "This file is already protected: it is a sealed EMR image. Open "
                                         "it in the EMR tab with your private key first.");
        if (kind == FileKind::KeyRegionProtected)
            return QCoreApplication::translate(
                "Document",
                "This file is already protected (key region and QR code). Recover the original in the "
                "Recover tab first.");
        return QCoreApplication::translate("Document", "This file is %1: it is not protected again.")
            .arg(kindName(kind));
    case Workflow::Recover:
        if (kind == FileKind::KeyRegionProtected)
            return {};
        if (kind == FileKind::Plain)
            return QCoreApplication::translate(
                "Document", "This image is not protected: there is nothing to recover. Open a file made by "
                            "Protect.");
        if (kind == FileKind::SealedEmr)
            return QCoreApplication::translate("Document",
                                               "This file is a sealed EMR image: open it in the EMR tab.");
        return QCoreApplication::translate("Document", "This file is %1: the Recover tab cannot open it.")
            .arg(kindName(kind));
    }
    return {};
}

void showWithScale(ImageCanvas* canvas, const Image& image, const ModalityScale& scale,
                   const DicomFile* dicom, bool keepView)
{
    canvas->setImage(image, keepView);
    canvas->setModalityScale(scale);
    if (!dicom || keepView)
        return;
    // The file's own window (Window Center/Width, in modality units) is its default view.
    const DicomPixelInfo& info = dicom->info();
    if (info.windowCentre && info.windowWidth && *info.windowWidth > 0)
        canvas->setWindowLevel(scale.toStored(*info.windowCentre), scale.widthToStored(*info.windowWidth));
}

} // namespace medveil::ui
