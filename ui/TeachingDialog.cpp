// SPDX-License-Identifier: GPL-3.0-or-later
#include "TeachingDialog.h"

#include "FittedImageView.h"

#include "BackgroundJob.h"
#include "ErrorText.h"
#include "ImageCanvas.h"

#include "emr/HiNet.h"
#include "metrics/ImageMetrics.h"
#include "teaching/KeylessAttack.h"
#include "teaching/PipelineWalkthrough.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPainter>
#include <QProgressBar>
#include <QPushButton>
#include <QSizePolicy>
#include <QSlider>
#include <QSpinBox>
#include <QVBoxLayout>

#include <opencv2/core.hpp>

#include <algorithm>
#include <map>

namespace medveil::ui {

struct TeachingDialog::Stages
{
    std::optional<teaching::KeyRegionStages> keyRegion;
    QString keyRegionError;
    std::optional<teaching::KeylessAttackLesson> attack;
    QString attackError;
    std::optional<teaching::EmrStages> emr;
    QString emrError;
};

namespace {

enum Stage
{
    KeyRegion,
    PredictionErrors,
    Arnold,
    QrCode,
    Unauthorised,
    KeylessAttack,
    EncodedDigits,
    BitPlanes,
    Histograms,
    Correlation,
    StageCount
};

constexpr QSize kPage(960, 600);
/// The two halves of a page.
const QRect kLeftBox(10, 10, 460, 580), kRightBox(490, 10, 460, 580);
const QColor kPlainColour(0, 114, 178), kCipherColour(213, 94, 0);

QImage view(const Image& image)
{
    double low = 0, high = 0;
    cv::minMaxLoc(image.mat(), &low, &high);
    if (image.bitDepth() == 8)
        return toDisplayImage(image, 127.5, 256);
    return toDisplayImage(image, (low + high) / 2, std::max(1.0, high - low + 1));
}

/// Draws `image` scaled into `box` (aspect kept, nearest neighbour when enlarging) under a caption.
QRect drawTile(QPainter& p, const QRect& box, const QImage& image, const QString& caption)
{
    p.setPen(Qt::black);
    p.drawText(QRect(box.x(), box.y(), box.width(), 22), Qt::AlignCenter, caption);
    const QRect area = box.adjusted(0, 26, 0, 0);
    const QSize size = image.size().scaled(area.size(), Qt::KeepAspectRatio);
    const QRect target(area.x() + (area.width() - size.width()) / 2, area.y(), size.width(), size.height());
    p.save();
    p.setRenderHint(QPainter::SmoothPixmapTransform, size.width() < image.width());
    p.drawImage(target, image);
    p.restore();
    return target;
}

/// Bars of one or two histograms (counts per value) over [lo, hi], with axis ticks.
void drawHistogram(QPainter& p, const QRect& box, const QString& title,
                   const std::vector<std::pair<QString, std::map<int, double>>>& series, int lo, int hi)
{
    p.setPen(Qt::black);
    p.drawText(QRect(box.x(), box.y(), box.width(), 22), Qt::AlignCenter, title);
    const QRect plot = box.adjusted(50, 30, -10, -30);
    double top = 1;
    for (const auto& s : series)
        for (const auto& [v, c] : s.second)
            if (v >= lo && v <= hi)
                top = std::max(top, c);
    p.fillRect(plot, QColor(250, 250, 250));
    const double binWidth = double(plot.width()) / (hi - lo + 1);
    for (size_t i = 0; i < series.size(); ++i) {
        QColor colour = i == 0 ? kPlainColour : kCipherColour;
        colour.setAlpha(series.size() > 1 ? 150 : 255);
        for (const auto& [v, c] : series[i].second) {
            if (v < lo || v > hi)
                continue;
            const int h = int(c / top * plot.height());
            p.fillRect(
                QRectF(plot.x() + (v - lo) * binWidth, plot.bottom() - h, std::max(1.0, binWidth - 1), h),
                colour);
        }
        p.fillRect(QRect(plot.right() - 150, plot.y() + 8 + int(i) * 18, 12, 12), colour);
        p.setPen(Qt::black);
        p.drawText(QPoint(plot.right() - 132, plot.y() + 19 + int(i) * 18), series[i].first);
    }
    p.setPen(QColor(60, 60, 60));
    p.drawRect(plot);
    const int step = std::max(1, (hi - lo) / 8);
    for (int v = lo; v <= hi; v += step) {
        const int x = int(plot.x() + (v - lo + 0.5) * binWidth);
        p.drawLine(x, plot.bottom(), x, plot.bottom() + 4);
        p.drawText(QRect(x - 30, plot.bottom() + 5, 60, 18), Qt::AlignCenter, QString::number(v));
    }
    p.drawText(QRect(box.x(), plot.y(), 46, 18), Qt::AlignRight, QString::number(qRound(top)));
    p.drawText(QRect(box.x(), plot.bottom() - 18, 46, 18), Qt::AlignRight, QStringLiteral("0"));
}

void drawScatter(QPainter& p, const QRect& box, const QString& title,
                 const std::vector<std::pair<int, int>>& pairs, const QColor& colour)
{
    p.setPen(Qt::black);
    // Two lines: what is plotted, then its coefficients (one line clipped in a third of the page).
    const int titleHeight = 2 * p.fontMetrics().height() + 4;
    p.drawText(QRect(box.x(), box.y(), box.width(), titleHeight), Qt::AlignCenter | Qt::TextWordWrap, title);
    const int side = std::min(box.width() - 50, box.height() - titleHeight - 40);
    const QRect plot(box.x() + 40, box.y() + titleHeight + 6, side, side);
    p.fillRect(plot, QColor(250, 250, 250));
    p.setPen(Qt::NoPen);
    p.setBrush(colour);
    for (const auto& [a, b] : pairs)
        p.drawRect(QRectF(plot.x() + a / 255.0 * (side - 2), plot.bottom() - b / 255.0 * (side - 2), 2, 2));
    p.setBrush(Qt::NoBrush);
    p.setPen(QColor(60, 60, 60));
    p.drawRect(plot);
    for (int v : {0, 128, 255}) {
        p.drawText(QRect(plot.x() + v * side / 256 - 20, plot.bottom() + 4, 40, 16), Qt::AlignCenter,
                   QString::number(v));
        p.drawText(QRect(box.x(), plot.bottom() - v * side / 256 - 8, 36, 16), Qt::AlignRight,
                   QString::number(v));
    }
    p.drawText(QRect(plot.x(), plot.bottom() + 20, side, 18), Qt::AlignCenter,
               TeachingDialog::tr("pixel (x, y) → right neighbour (x + 1, y)"));
}

std::map<int, double> counts(const std::vector<int>& values)
{
    std::map<int, double> out;
    for (int v : values)
        out[v] += 1;
    return out;
}

std::map<int, double> greyCounts(const Image& image)
{
    std::map<int, double> out;
    const std::vector<uint64_t> counts = histogram(image);
    for (size_t v = 0; v < counts.size(); ++v)
        if (counts[v])
            out[int(v)] = double(counts[v]);
    return out;
}

} // namespace

TeachingDialog::TeachingDialog(const Image& image, const QString& emr, QWidget* parent)
    : QDialog(parent), m_image(image), m_emr(emr.toStdString())
{
    setWindowTitle(tr("Pipeline Walkthrough"));
    setObjectName(QStringLiteral("teachingDialog"));
    resize(1240, 720);
    auto* layout = new QVBoxLayout(this);
    auto* top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Texture threshold T:"), this));
    m_threshold = new QSpinBox(this);
    m_threshold->setRange(5, 50);
    m_threshold->setSingleStep(5);
    m_threshold->setValue(25);
    m_threshold->setToolTip(tr("Blocks with MSE > T carry the hidden key region"));
    top->addWidget(m_threshold);
    m_computeButton = new QPushButton(tr("&Recompute"), this);
    top->addWidget(m_computeButton);
    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 1000);
    top->addWidget(m_progress, 1);
    m_cancel = new QPushButton(tr("Cancel"), this);
    m_cancel->setEnabled(false);
    top->addWidget(m_cancel);
    layout->addLayout(top);

    auto* body = new QHBoxLayout;
    m_list = new QListWidget(this);
    m_list->setMaximumWidth(270);
    const QStringList names = {tr("1. Key region and texture blocks"),
                               tr("2. Prediction-error expansion"),
                               tr("3. Arnold scrambling"),
                               tr("4. QR code"),
                               tr("5. Unauthorised extraction"),
                               tr("6. Keyless attack: Arnold vs permutation"),
                               tr("7. EMR encoded image"),
                               tr("8. Bit planes"),
                               tr("9. Histograms"),
                               tr("10. Adjacent-pixel correlation")};
    m_list->addItems(names);
    body->addWidget(m_list);
    auto* right = new QVBoxLayout;
    m_view = new FittedImageView(this);
    m_view->setObjectName(QStringLiteral("teachingPage"));
    m_view->setMinimumSize(kPage / 1.5);
    right->addWidget(m_view, 1);
    auto* stepRow = new QHBoxLayout;
    m_step = new QSlider(Qt::Horizontal, this);
    m_stepLabel = new QLabel(this);
    stepRow->addWidget(m_step, 1);
    stepRow->addWidget(m_stepLabel);
    right->addLayout(stepRow);
    m_caption = new QLabel(this);
    m_caption->setWordWrap(true);
    m_caption->setMinimumHeight(m_caption->fontMetrics().lineSpacing() * 3);
    m_caption->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    right->addWidget(m_caption);
    body->addLayout(right, 1);
    layout->addLayout(body, 1);

    connect(m_list, &QListWidget::currentRowChanged, this, [this](int row) { showStage(row); });
    connect(m_step, &QSlider::valueChanged, this, [this] { render(); });
    connect(m_computeButton, &QPushButton::clicked, this, &TeachingDialog::compute);
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        if (m_job)
            m_job->cancel();
        m_job.reset();
        m_cancel->setEnabled(false);
        m_computeButton->setEnabled(true);
        m_caption->setText(tr("Cancelled"));
    });
    m_list->setCurrentRow(0);
}

TeachingDialog::~TeachingDialog()
{
    if (m_job)
        m_job->cancel();
}

int TeachingDialog::stageCount() const
{
    return StageCount;
}

bool TeachingDialog::isReady() const
{
    return m_stages != nullptr;
}

const teaching::KeyRegionStages* TeachingDialog::keyRegionStages() const
{
    return m_stages && m_stages->keyRegion ? &*m_stages->keyRegion : nullptr;
}

const teaching::KeylessAttackLesson* TeachingDialog::keylessAttackLesson() const
{
    return m_stages && m_stages->attack ? &*m_stages->attack : nullptr;
}

QString TeachingDialog::stageCaption() const
{
    return m_caption->text();
}

void TeachingDialog::compute()
{
    if (m_image.empty()) {
        m_caption->setText(tr("Open an image first."));
        return;
    }
    if (m_job)
        m_job->cancel();
    m_computeButton->setEnabled(false);
    m_cancel->setEnabled(true);
    m_progress->setValue(0);
    m_caption->setText(tr("Computing every stage…"));
    const Image image = m_image;
    const std::string emr = m_emr;
    const double threshold = m_threshold->value();
    m_job = BackgroundJob<std::shared_ptr<Stages>>::start(
        this,
        [image, emr, threshold](const JobControl& control) {
            auto stages = std::make_shared<Stages>();
            const JobControl first = control.stage(0, 0.3), second = control.stage(0.45, 1);
            auto k = teaching::walkKeyRegion(image, threshold, first);
            if (k)
                stages->keyRegion = std::move(*k);
            else
                stages->keyRegionError = errorText(k.error());
            auto attack = teaching::keylessAttackLesson(image, control.stage(0.3, 0.45));
            if (attack)
                stages->attack = std::move(*attack);
            else
                stages->attackError = errorText(attack.error());
            auto network = HiNetModel::shared(); // the one the EMR tab uses, loaded once
            auto e = teaching::walkEmr(image, emr, network ? network->get() : nullptr, 4, second);
            if (e)
                stages->emr = std::move(*e);
            else
                stages->emrError = errorText(e.error());
            if (!network && e)
                stages->emrError = errorText(network.error());
            return stages;
        },
        [this](std::shared_ptr<Stages> stages) {
            m_job.reset();
            m_stages = std::move(stages);
            m_cancel->setEnabled(false);
            m_computeButton->setEnabled(true);
            m_progress->setValue(1000);
            showStage(m_list->currentRow());
            Q_EMIT ready();
        },
        [this](int value) { m_progress->setValue(value); });
}

void TeachingDialog::showStage(int stage)
{
    if (stage < 0 || stage >= StageCount)
        return;
    if (m_list->currentRow() != stage)
        m_list->setCurrentRow(stage); // re-enters through currentRowChanged
    const QSignalBlocker block(m_step);
    int steps = 0;
    if (m_stages && stage == Arnold && m_stages->keyRegion)
        steps = int(m_stages->keyRegion->arnoldIterations.size()) - 1;
    if (stage == BitPlanes)
        steps = 7;
    m_step->setVisible(steps > 0);
    m_stepLabel->setVisible(steps > 0);
    m_step->setRange(0, steps);
    if (stage == BitPlanes && m_step->value() > 7)
        m_step->setValue(7);
    render();
}

QString TeachingDialog::drawKeyRegion(QPainter& p)
{
    const auto* k = &*m_stages->keyRegion;
    QImage img = view(m_image).convertToFormat(QImage::Format_RGB32);
    QPainter o(&img);
    const int blocks = int(std::count(k->textureBlocks.begin(), k->textureBlocks.end(), 1));
    for (int by = 0; by < k->blocksY; ++by)
        for (int bx = 0; bx < k->blocksX; ++bx)
            if (k->textureBlocks[size_t(by) * k->blocksX + bx])
                o.fillRect(QRect(bx * 8, by * 8, 8, 8), QColor(0, 158, 115, 90));
    o.setPen(QPen(QColor(230, 159, 0), 2, Qt::DashLine));
    for (size_t i = 1; i < std::min<size_t>(4, k->candidates.size()); ++i) {
        const Rect& c = k->candidates[i];
        o.drawRect(c.x, c.y, c.width, c.height);
    }
    o.setPen(QPen(QColor(213, 94, 0), 3));
    o.drawRect(k->region.x, k->region.y, k->region.width, k->region.height);
    o.end();
    drawTile(p, QRect(10, 10, 940, 580), img,
             tr("Key region (solid), next candidates (dashed), texture blocks (green)"));
    return tr("The key region is the block of largest coefficient of variation σ/μ. %1 of %2 8×8 blocks "
              "have MSE > T = %3 and will carry its %4 encrypted bits.")
        .arg(blocks)
        .arg(k->textureBlocks.size())
        .arg(k->threshold)
        .arg(k->payloadBits);
}

QString TeachingDialog::drawPredictionErrors(QPainter& p)
{
    const auto* k = &*m_stages->keyRegion;
    drawHistogram(
        p, QRect(10, 10, 940, 580), tr("Rhombus prediction errors e = x − ⌊(N+S+E+W)/4⌋ (first layer)"),
        {{tr("before embedding"), counts(k->errorsBefore)}, {tr("after expansion"), counts(k->errorsAfter)}},
        -12, 12);
    return tr("Errors in the expansion range become 2e + b (one payload bit each); the others shift "
              "outwards so that extraction can tell them apart and undo both exactly.");
}

QString TeachingDialog::drawArnold(QPainter& p)
{
    const auto* k = &*m_stages->keyRegion;
    const int i = std::clamp(m_step->value(), 0, int(k->arnoldIterations.size()) - 1);
    m_stepLabel->setText(tr("iteration %1 of %2").arg(i).arg(k->arnoldIterations.size() - 1));
    const QImage whole = view(k->arnoldIterations[size_t(i)]);
    drawTile(p, kLeftBox, whole, tr("Texture blocks after %1 cat-map iteration(s)").arg(i));
    // Magnify a 64×64 corner of the texture area so single 8×8 blocks are visible.
    int cx = 0, cy = 0;
    for (int by = 0; by < k->blocksY && !cx; ++by)
        for (int bx = 0; bx < k->blocksX; ++bx)
            if (k->textureBlocks[size_t(by) * k->blocksX + bx]) {
                cx = std::min(bx * 8, m_image.width() - 64);
                cy = std::min(by * 8, m_image.height() - 64);
                break;
            }
    drawTile(p, kRightBox, whole.copy(cx, cy, 64, 64), tr("64×64 detail at (%1, %2)").arg(cx).arg(cy));
    return tr("Each texture block gets its own cat map (x, y) → (x + a·y, b·x + (a·b+1)·y) mod 8 and "
              "iteration count from the key; move the slider to apply the iterations one by one.");
}

QString TeachingDialog::drawQrCode(QPainter& p)
{
    const auto* k = &*m_stages->keyRegion;
    drawTile(p, kLeftBox, view(k->qr), tr("QR code: public information + RSA-OAEP-sealed key"));
    drawTile(p, kRightBox, view(k->arnoldIterations.back()), tr("Protected image"));
    return tr("The QR replaces the key region: anyone can read the public fields, only the private key "
              "opens the sealed key that decrypts the hidden region.");
}

QString TeachingDialog::drawUnauthorised(QPainter& p)
{
    const auto* k = &*m_stages->keyRegion;
    const Image original =
        Image::fromMat(
            m_image.mat()(cv::Rect(k->region.x, k->region.y, k->region.width, k->region.height)).clone())
            .valueOr(Image());
    drawTile(p, kLeftBox, view(original), tr("Key region (authorised extraction: identical)"));
    drawTile(p, kRightBox, view(k->unauthorisedRegion),
             tr("Unauthorised extraction: PSNR %1 dB, SSIM %2")
                 .arg(k->unauthorisedPsnr, 0, 'f', 2)
                 .arg(k->unauthorisedSsim, 0, 'f', 4));
    return tr("Without the private key the embedded payload decrypts to noise (and MedVeil refuses it: "
              "the AES-GCM tag fails). The paper reports PSNR < 10 dB and SSIM < 0.1 for this view.");
}

QString TeachingDialog::drawKeylessAttack(QPainter& p)
{
    const auto& a = *m_stages->attack;
    drawTile(p, kLeftBox, view(a.arnold.attacked),
             tr("Arnold: the attack recovers %1 dB (block means %2 dB)")
                 .arg(a.arnold.attackPsnr, 0, 'f', 2)
                 .arg(a.arnold.blockMeanPsnr, 0, 'f', 2));
    drawTile(p, kRightBox, view(a.permute.attacked),
             tr("Keyed permutation: %1 dB (block means %2 dB)")
                 .arg(a.permute.attackPsnr, 0, 'f', 2)
                 .arg(a.permute.blockMeanPsnr, 0, 'f', 2));
    return tr("No key at all: each 8×8 block has only about 129 distinct cat maps, so trying every one and "
              "keeping the smoothest result undoes Arnold (left). A keyed permutation of the 64 pixels has "
              "64! orderings: the same attack gets no further than each block's mean (right). MedVeil "
              "protects the region itself with AES-256-GCM either way.");
}

QString TeachingDialog::drawEncodedDigits(QPainter& p)
{
    const auto* e = &*m_stages->emr;
    drawTile(p, kLeftBox, view(e->encoded), tr("EMR encoded image (base %1)").arg(e->base));
    // A 24×16 corner, each pixel drawn as a cell with its digit.
    const QRect grid(500, 60, 440, 300);
    const int cols = 24, rows = 16;
    const double cw = double(grid.width()) / cols, ch = double(grid.height()) / rows;
    for (int y = 0; y < rows; ++y)
        for (int x = 0; x < cols; ++x) {
            const int v = e->encoded.at(x, y);
            const QRectF cell(grid.x() + x * cw, grid.y() + y * ch, cw, ch);
            p.fillRect(cell, QColor(v, v, v));
            p.setPen(v > 128 ? Qt::black : Qt::white);
            p.drawText(cell, Qt::AlignCenter, QString::number(e->digits[size_t(y) * e->encoded.width() + x]));
        }
    p.setPen(Qt::black);
    p.drawText(QRect(490, 30, 460, 22), Qt::AlignCenter, tr("Top-left 24×16 pixels and their digits"));
    return tr("The record's %1 UTF-8 bytes (after a header with length and CRC-32) are written as "
              "base-%2 "
              "digits, one per pixel, at widely spaced grey levels; the rest is key-seeded padding.")
        .arg(e->emrBytes)
        .arg(e->base);
}

QString TeachingDialog::drawBitPlanes(QPainter& p)
{
    const auto* e = &*m_stages->emr;
    const int bit = std::clamp(m_step->value(), 0, 7);
    m_stepLabel->setText(tr("bit plane %1").arg(bit));
    drawTile(p, kLeftBox, view(e->plainBitPlanes[size_t(bit)]),
             e->hasStego ? tr("Stego image, bit %1").arg(bit) : tr("Encoded image, bit %1").arg(bit));
    drawTile(p, kRightBox, view(e->cipherBitPlanes[size_t(bit)]), tr("Cipher image, bit %1").arg(bit));
    return tr("The logistic-sine-cosine cipher permutes all bits of the image and diffuses them forwards "
              "and backwards: every cipher bit plane is balanced noise.");
}

QString TeachingDialog::drawHistograms(QPainter& p)
{
    const auto* e = &*m_stages->emr;
    const Image& plain = e->hasStego ? e->stego : e->encoded;
    drawHistogram(p, QRect(10, 10, 460, 580), e->hasStego ? tr("Stego image") : tr("Encoded image"),
                  {{tr("plain"), greyCounts(plain)}}, 0, 255);
    drawHistogram(p, QRect(490, 10, 460, 580), tr("Cipher image"), {{tr("cipher"), greyCounts(e->cipher)}}, 0,
                  255);
    return tr("The cipher's histogram is flat: grey-level statistics reveal nothing about the "
              "plain image.");
}

QString TeachingDialog::drawCorrelation(QPainter& p)
{
    const auto* e = &*m_stages->emr;
    // Three panels: the medical image (what a reader sees), what the cipher encrypts (the stego:
    // the record's digits with the image hidden in them) and the cipher.
    const auto title = [](const QString& what, const double r[3]) {
        return tr("%1\nr = %2 (h), %3 (v), %4 (d)")
            .arg(what)
            .arg(r[0], 0, 'f', 3)
            .arg(r[1], 0, 'f', 3)
            .arg(r[2], 0, 'f', 3);
    };
    QFont smaller = p.font();
    smaller.setPixelSize(12);
    p.setFont(smaller);
    drawScatter(p, QRect(5, 10, 315, 580), title(tr("medical image"), e->medicalCorrelation), e->medicalPairs,
                QColor(40, 140, 60));
    drawScatter(p, QRect(325, 10, 315, 580),
                title(e->hasStego ? tr("stego (encrypted)") : tr("encoded (encrypted)"), e->plainCorrelation),
                e->plainPairs, kPlainColour);
    drawScatter(p, QRect(645, 10, 315, 580), title(tr("cipher"), e->cipherCorrelation), e->cipherPairs,
                kCipherColour);
    return tr("Neighbouring pixels of the medical image are strongly correlated (r = %1). What the "
              "cipher encrypts is the stego: the record's digits, whose key-seeded padding is "
              "already nearly uncorrelated (r = %2), with the image hidden in their small "
              "deviations. After encryption the pairs fill the square: r = %3.")
        .arg(e->medicalCorrelation[0], 0, 'f', 3)
        .arg(e->plainCorrelation[0], 0, 'f', 3)
        .arg(e->cipherCorrelation[0], 0, 'f', 3);
}

void TeachingDialog::render()
{
    const int stage = m_list->currentRow();
    m_page = QImage(kPage, QImage::Format_RGB32);
    m_page.fill(Qt::white);
    QPainter p(&m_page);
    p.setRenderHint(QPainter::Antialiasing);
    QFont font = p.font();
    font.setPixelSize(14);
    p.setFont(font);
    QString caption;
    const bool keyStage = stage <= Unauthorised;
    const bool attackStage = stage == KeylessAttack;
    const auto* k = m_stages && m_stages->keyRegion ? &*m_stages->keyRegion : nullptr;
    const auto* e = m_stages && m_stages->emr ? &*m_stages->emr : nullptr;
    if (!m_stages) {
        p.drawText(m_page.rect(), Qt::AlignCenter,
                   tr("Press Recompute to compute the stages on this image."));
    } else if (keyStage && !k) {
        p.drawText(m_page.rect(), Qt::AlignCenter | Qt::TextWordWrap, m_stages->keyRegionError);
    } else if (attackStage && !m_stages->attack) {
        p.drawText(m_page.rect(), Qt::AlignCenter | Qt::TextWordWrap, m_stages->attackError);
    } else if (!keyStage && !attackStage && !e) {
        p.drawText(m_page.rect(), Qt::AlignCenter | Qt::TextWordWrap, m_stages->emrError);
    } else {
        using Draw = QString (TeachingDialog::*)(QPainter&);
        static const Draw kDraw[] = {
            &TeachingDialog::drawKeyRegion,     &TeachingDialog::drawPredictionErrors,
            &TeachingDialog::drawArnold,        &TeachingDialog::drawQrCode,
            &TeachingDialog::drawUnauthorised,  &TeachingDialog::drawKeylessAttack,
            &TeachingDialog::drawEncodedDigits, &TeachingDialog::drawBitPlanes,
            &TeachingDialog::drawHistograms,    &TeachingDialog::drawCorrelation};
        static_assert(std::size(kDraw) == Correlation + 1, "one drawing per stage, in the Stage order");
        if (stage >= 0 && stage < int(std::size(kDraw)))
            caption = (this->*kDraw[stage])(p);
    }
    p.end();
    m_caption->setText(caption);
    m_view->setImage(m_page);
}

} // namespace medveil::ui
