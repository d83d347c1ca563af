// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "io/ImageIo.h"
#include "io/ModalityScale.h"
#include "workflow/FileWorkflows.h"

#include <QString>

#include <cstdint>

namespace medveil::ui {

class ImageCanvas;

/// The file open in the main window: path, pixels, metadata and DICOM dataset, what kind of MedVeil file it
/// is and its modality scale. `id` is unique per open (a generation counter): every result a panel computes
/// carries the id of the document it was computed for and is dropped when another document is open by the
/// time it arrives — so nothing of one patient is ever shown, saved or re-run beside another's file.
struct Document
{
    std::uint64_t id = 0; ///< 0: no document
    QString path;
    LoadedImage file;
    workflow::FileKind kind = workflow::FileKind::Plain;
    ModalityScale scale; ///< stored value ↔ modality value (HU for CT); identity for PNG

    [[nodiscard]] bool isOpen() const { return id != 0; }
    [[nodiscard]] QString fileName() const;

    /// A fresh document for `file` at `path`, with the next id.
    static Document open(const QString& path, LoadedImage file);
};

/// The workflow tabs, in the main window's order.
enum class Workflow
{
    Protect = 0,
    Recover = 1,
    Emr = 2,
};

/// The workflow that takes a document of `kind` when it opens.
Workflow workflowFor(workflow::FileKind kind);
/// Why `tab` does not apply to a document of `kind` (translated, one sentence); empty when it does.
QString notApplicableReason(Workflow tab, workflow::FileKind kind);
/// "Key-region protected (Li et al.)" and so on: what the status bar and the tabs call a kind.
QString kindName(workflow::FileKind kind);

/// Shows `image` on `canvas` with its own units: `scale` for the read-out and the presets, and the DICOM
/// file's stored window (Window Center/Width) when `dicom` has one, the image's range otherwise.
void showWithScale(ImageCanvas* canvas, const Image& image, const ModalityScale& scale,
                   const DicomFile* dicom = nullptr, bool keepView = false);

} // namespace medveil::ui
