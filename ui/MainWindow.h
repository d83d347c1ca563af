// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Document.h"
#include "core/Image.h"

#include <QMainWindow>
#include <QPointer>

#include <functional>
#include <memory>

class QLabel;
class QSize;
class QMenu;
class QAction;

namespace medveil {
class DicomFile;
}

namespace medveil::ui {

class ImageCanvas;
class PacsDialog;
class ProtectPanel;
class RecoverPanel;
class EmrPanel;
class KeyManagerDialog;
class SeriesBrowser;
class TeachingDialog;

/// The workstation's main window: File menu with recent files, drag-and-drop, the image canvas and a
/// status bar with size, bit depth and the pixel value under the cursor. All file I/O runs off the
/// GUI thread.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(QWidget* parent = nullptr);

    /// Starts loading `path` in the background; imageLoaded or errorShown follows.
    void openFile(const QString& path);
    /// The study/series browser for `folder` (File ▸ Open Folder, a dropped folder); it closes itself.
    SeriesBrowser* openFolder(const QString& folder);
    /// Starts writing the current image as PNG to `path` (atomic; never over the opened file).
    void saveTo(const QString& path);

    [[nodiscard]] ImageCanvas* canvas() const { return m_canvas; }
    [[nodiscard]] ProtectPanel* protectPanel() const { return m_protect; }
    [[nodiscard]] RecoverPanel* recoverPanel() const { return m_recover; }
    [[nodiscard]] EmrPanel* emrPanel() const { return m_emr; }
    /// 0 Protect, 1 Recover, 2 EMR.
    [[nodiscard]] int currentWorkflow() const;
    [[nodiscard]] QString currentPath() const { return m_document.path; }
    /// The open file and what it is (kind, modality scale); its id changes with every open.
    [[nodiscard]] const Document& document() const { return m_document; }
    [[nodiscard]] QString statusText() const;

    /// Keys ▸ Key Manager (one non-modal instance).
    KeyManagerDialog* showKeyManager();
    /// File ▸ PACS (one non-modal instance): a retrieved study opens in the series browser.
    PacsDialog* showPacs();

    /// Teaching ▸ Pipeline Walkthrough on the current image and EMR text (a sample note when empty). A
    /// protected or sealed file is refused (a message says why; null): the walkthrough protects its image.
    TeachingDialog* showTeaching();
    static QString sampleNote();

    /// Loads the shared HiNet (plugin and weights) in the background and runs it once on a blank image of
    /// `size`, so the EMR tab's first seal or open pays neither (issue #28: ≤ 0.5 s / 0.3 s at 512²).
    /// medveil calls it once the first image is shown; a failure stays silent here (the EMR tab reports it
    /// when used). networkReady follows.
    void preloadNetwork(QSize size = QSize(512, 512));

    /// Path of the sample image shipped with MedVeil (first start and the README's run command).
    static QString bundledSamplePath();

    /// View ▸ Window/Level ▸ Centre and Width… (Ctrl+L): numeric entry, in HU for rescaled DICOM.
    void askWindowLevel();
    /// Help ▸ Keyboard Shortcuts: every menu shortcut, read from the menus, plus the mouse gestures.
    void showShortcuts();

Q_SIGNALS:
    void imageLoaded(const QString& path);
    void imageSaved(const QString& path);
    void errorShown(const QString& message);
    /// preloadNetwork finished (`ok`: the network is loaded and warmed).
    void networkReady(bool ok);

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void createMenus();
    void rebuildRecentMenu();
    void showError(const QString& title, const QString& message);
    void updatePixelInfo(int x, int y, int value);
    /// Hands the newly opened m_document to every tab and resets everything shown for the previous one.
    void showDocument();
    /// The canvas for the workflow tab in front: its overlay only there, and the open file's image on a
    /// tab that shows no image of its own.
    void showTab(int index);
    /// Size, depth, window and CT presets of what the canvas shows now (with its modality scale).
    void updateImageLabels();
    void showManual();
    void showDicomTags();
    void updateWindowLabel();
    void promptOpen();
    void promptSaveAs();

    ImageCanvas* m_canvas = nullptr;
    QLabel* m_sizeLabel = nullptr;
    QLabel* m_depthLabel = nullptr;
    QLabel* m_pixelLabel = nullptr;
    QLabel* m_zoomLabel = nullptr;
    QMenu* m_recentMenu = nullptr;
    QAction* m_saveAsAction = nullptr;
    QAction* m_invertAction = nullptr;
    QAction* m_tagsAction = nullptr;
    Document m_document;             ///< the open file: every tab shows it or nothing
    std::uint64_t m_openRequest = 0; ///< the latest openFile(): an earlier read finishing later is dropped
    QList<class QLabel*> m_notices; ///< per tab: why it does not apply to the open file (hidden when it does)
    QList<QWidget*> m_pages;        ///< per tab: what is disabled when it does not apply
    ProtectPanel* m_protect = nullptr;
    RecoverPanel* m_recover = nullptr;
    EmrPanel* m_emr = nullptr;
    class QTabWidget* m_workflows = nullptr;
    QPointer<KeyManagerDialog> m_keyManager;
    QPointer<PacsDialog> m_pacs;
    QList<QAction*> m_huPresets; ///< the CT presets in HU: offered for CT DICOM files only
    QLabel* m_windowLabel = nullptr;
    std::function<void()> m_cancelPreload; ///< stops the network's warm-up (closing the window)
};

} // namespace medveil::ui
