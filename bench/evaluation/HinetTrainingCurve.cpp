// SPDX-License-Identifier: GPL-3.0-or-later
// The HiNet training curves of the model card as a figure: held-out revealed and stego PSNR against step
// and against CPU wall-clock hours, for the run the shipped weights are the last step of (schedule-run/),
// run 3 (the cover-conditioned weights shipped before the multi-modality schedule) and the plain-HiNet
// ablation (logs committed under resources/models/), run 3 and the ablation compared at equal steps.
#include "Chart.h"
#include "Evaluation.h"

#include <fstream>
#include <map>
#include <sstream>

namespace medveil::evaluation {

namespace {

/// step → column values, from a train_hinet log.csv (header names the columns).
std::vector<std::map<std::string, double>> readLog(const std::filesystem::path& path)
{
    std::vector<std::map<std::string, double>> rows;
    std::ifstream in(path);
    std::string line;
    std::vector<std::string> header;
    if (!std::getline(in, line))
        return rows;
    std::stringstream names(line);
    for (std::string name; std::getline(names, name, ',');)
        header.push_back(name);
    while (std::getline(in, line)) {
        std::stringstream fields(line);
        std::map<std::string, double> row;
        size_t i = 0;
        for (std::string field; std::getline(fields, field, ',') && i < header.size(); ++i)
            row[header[i]] = std::strtod(field.c_str(), nullptr);
        if (row.count("step") && row.count("val_reveal_psnr"))
            rows.push_back(row);
    }
    return rows;
}

Series column(const std::string& name, const std::vector<std::map<std::string, double>>& log,
              const std::string& x, const std::string& y, double xScale, bool dashed)
{
    Series s{name, {}, dashed};
    for (const auto& row : log)
        if (row.count(x) && row.count(y))
            s.points.emplace_back(row.at(x) * xScale, row.at(y));
    return s;
}

nlohmann::json at(const std::vector<std::map<std::string, double>>& log, double step)
{
    for (const auto& row : log)
        if (row.at("step") == step)
            return {{"step", step},
                    {"revealed_psnr", row.at("val_reveal_psnr")},
                    {"stego_psnr", row.at("val_stego_psnr")},
                    {"gain_over_linear_db", row.count("val_gain_over_linear")
                                                ? nlohmann::json(row.at("val_gain_over_linear"))
                                                : nlohmann::json()}};
    return nullptr;
}

} // namespace

nlohmann::json evaluateHinetTraining(const Paths& paths, const std::filesystem::path& models)
{
    const auto shipped = readLog(models / "schedule-run" / "log.csv");
    const auto conditioned = readLog(models / "hinet-training-log.csv");
    const auto plain = readLog(models / "hinet-plain-training-log.csv");
    if (shipped.empty())
        return {{"error", "resources/models/schedule-run/log.csv missing"}};
    if (conditioned.empty())
        return {{"error", "resources/models/hinet-training-log.csv missing"}};
    const auto curves = [&](const std::string& x, double xScale) {
        return std::vector<Series>{
            column("shipped (schedule): revealed", shipped, x, "val_reveal_psnr", xScale, false),
            column("shipped (schedule): stego", shipped, x, "val_stego_psnr", xScale, true),
            column("run 3: revealed", conditioned, x, "val_reveal_psnr", xScale, false),
            column("run 3: stego", conditioned, x, "val_stego_psnr", xScale, true),
            column("plain HiNet: revealed", plain, x, "val_reveal_psnr", xScale, false),
            column("plain HiNet: stego", plain, x, "val_stego_psnr", xScale, true)};
    };
    const Axis y{"held-out PSNR dB (validation images, 256x256)", 15.0, 55.0};
    const std::string figure = "fig_hinet_training.png";
    writeFigure(paths.out / figure,
                stackRows({lineChart("HiNet training: held-out PSNR against step", {"step (thousands)"}, y,
                                     curves("step", 1e-3)),
                           lineChart("HiNet training: held-out PSNR against CPU hours (shipped: 2 "
                                     "threads)",
                                     {"wall-clock hours"}, y, curves("seconds", 1.0 / 3600))}));
    // Run 3 and the ablation at equal steps (every validation the shorter log reached).
    nlohmann::json equal = nlohmann::json::array();
    if (!plain.empty())
        for (double step = 400; step <= plain.back().at("step"); step += 400)
            if (auto c = at(conditioned, step), p = at(plain, step); !c.is_null() && !p.is_null())
                equal.push_back({{"step", step}, {"conditioned", c}, {"plain", p}});
    return {
        {"figure", figure},
        {"shipped_last", at(shipped, shipped.back().at("step"))},
        {"shipped_hours", shipped.back().at("seconds") / 3600},
        {"conditioned_last", at(conditioned, conditioned.back().at("step"))},
        {"conditioned_hours", conditioned.back().at("seconds") / 3600},
        {"plain_last", plain.empty() ? nlohmann::json() : at(plain, plain.back().at("step"))},
        {"plain_hours", plain.empty() ? nlohmann::json() : nlohmann::json(plain.back().at("seconds") / 3600)},
        {"equal_steps", equal}};
}

} // namespace medveil::evaluation
