// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/Image.h"

#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>

#include <filesystem>
#include <string>
#include <vector>

/// The sections of `medveil_evaluate` (the README's evaluation command). Each section measures one part
/// of docs/EVALUATION.md, writes its figures under `out` and returns its numbers as JSON; ReportWriter
/// turns the JSON (and the cipher/HiNet tables written by their own tools) into Markdown, so every number
/// in the report comes from this run.
namespace medveil::evaluation {

struct Paths
{
    std::filesystem::path corpus; ///< tests/data/corpus (real slices from Debian packages)
    std::filesystem::path camera; ///< python3-skimage's camera.png (RDH reference image)
    std::filesystem::path out;    ///< docs/evaluation
    std::filesystem::path notes;  ///< tests/data/emr (clinical-style EMRs)
    std::filesystem::path self;   ///< this program, re-run for speed measurements in fresh processes
};

/// Li et al. 2020: Tables 1–3, Figs. 4 and 9–11.
nlohmann::json evaluateKeyRegion(const Paths& paths);
/// PSNR of the rhombus PEE embedder alone at fixed payloads and as a capacity–PSNR curve.
nlohmann::json evaluateReversibleHiding(const Paths& paths);
/// The LSC cipher's classic figures: histograms, adjacent-pixel scatter plots, key sensitivity.
nlohmann::json evaluateCipherFigures(const Paths& paths);
/// Median time of every stage at 256² and 512², with baselines, each size in a fresh process for its peak
/// memory. `runSpeedChild` is that process's entry point.
nlohmann::json evaluateSpeed(const Paths& paths);
int runSpeedChild(const Paths& paths, const std::string& scheme, int size);

/// The model card's training curves (resources/models/*training-log.csv) as docs/evaluation's figure.
nlohmann::json evaluateHinetTraining(const Paths& paths, const std::filesystem::path& models);

/// docs/EVALUATION.md from all sections' JSON.
std::string renderReport(const nlohmann::json& results);

/// The keyless attack on Arnold and on the keyed permutation, `runs` times with fresh keys.
nlohmann::json evaluateKeylessAttack(const Paths& paths, int runs);

// Shared helpers.
cv::Mat displayImage(const Image& image); ///< 8-bit for figures, 16-bit scaled by its own maximum
Image resizedTo(const Image& image, int side);
void writeFigure(const std::filesystem::path& path, const cv::Mat& figure);
nlohmann::json finiteOrNull(double value); ///< JSON has no ∞: PSNR of identical images becomes null

} // namespace medveil::evaluation
