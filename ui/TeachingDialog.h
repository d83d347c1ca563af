// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/Image.h"

#include <QDialog>
#include <QImage>

#include <memory>

class QLabel;
class QPainter;
class QListWidget;
class QProgressBar;
class QPushButton;
class QSlider;
class QSpinBox;

namespace medveil::teaching {
struct KeyRegionStages;
struct KeylessAttackLesson;
struct EmrStages;
} // namespace medveil::teaching

namespace medveil::ui {

template <typename T> class BackgroundJob;
class FittedImageView;

/// Teaching ▸ Pipeline Walkthrough: steps through every stage of both schemes on the current image — key
/// region and texture blocks, prediction-error histograms before and after expansion, Arnold scrambling
/// iteration by iteration, the QR, what an unauthorised extraction sees; the EMR's encoded digits, bit
/// planes, histograms and adjacent-pixel correlation of plain vs cipher. The stages are computed off the
/// GUI thread (progress, Cancel) and drawn with QPainter.
class TeachingDialog : public QDialog
{
    Q_OBJECT

public:
    TeachingDialog(const Image& image, const QString& emr, QWidget* parent = nullptr);
    ~TeachingDialog() override;

    /// Recomputes every stage (threshold T for the texture map).
    void compute();
    void showStage(int stage);
    [[nodiscard]] int stageCount() const;
    [[nodiscard]] bool isReady() const;
    /// The picture of the current stage (what the dialog shows).
    [[nodiscard]] QImage stageImage() const { return m_page; }
    [[nodiscard]] QString stageCaption() const;
    [[nodiscard]] QSlider* stepSlider() const { return m_step; }
    /// The image the walkthrough runs on (the opened file, never a protected preview).
    [[nodiscard]] const Image& sourceImage() const { return m_image; }
    /// The computed stages whose figures the pages quote (nullptr until computed, or when that part failed).
    [[nodiscard]] const teaching::KeyRegionStages* keyRegionStages() const;
    [[nodiscard]] const teaching::KeylessAttackLesson* keylessAttackLesson() const;

Q_SIGNALS:
    void ready();
    void failed(const QString& message);

private:
    struct Stages;
    void render();
    /// One stage each: draws it on the page and returns its caption.
    QString drawKeyRegion(QPainter& p);
    QString drawPredictionErrors(QPainter& p);
    QString drawArnold(QPainter& p);
    QString drawQrCode(QPainter& p);
    QString drawUnauthorised(QPainter& p);
    QString drawKeylessAttack(QPainter& p);
    QString drawEncodedDigits(QPainter& p);
    QString drawBitPlanes(QPainter& p);
    QString drawHistograms(QPainter& p);
    QString drawCorrelation(QPainter& p);

    Image m_image;
    std::string m_emr;
    QListWidget* m_list = nullptr;
    FittedImageView* m_view = nullptr;
    QLabel* m_caption = nullptr;
    QSlider* m_step = nullptr;
    QLabel* m_stepLabel = nullptr;
    QSpinBox* m_threshold = nullptr;
    QPushButton* m_computeButton = nullptr;
    QPushButton* m_cancel = nullptr;
    QProgressBar* m_progress = nullptr;
    QImage m_page;
    std::shared_ptr<Stages> m_stages;
    std::shared_ptr<BackgroundJob<std::shared_ptr<Stages>>> m_job;
};

} // namespace medveil::ui
