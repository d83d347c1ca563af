// SPDX-License-Identifier: GPL-3.0-or-later
// medveil_evaluate — measures MedVeil against both papers and writes docs/evaluation/*.{json,png} and
// docs/EVALUATION.md. Run through bench/evaluate.sh (the README's evaluation command), which first runs
// cipher_analysis_table, hinet_eval and keyregion_body into the same folder and writes stamp.json (commit,
// weights digest, machine); this program folds their JSON in.
//
// Usage: medveil_evaluate --corpus DIR --camera PNG --notes DIR --out DIR --report FILE
//        medveil_evaluate --render-only --out DIR --report FILE   (the report again from DIR/evaluation.json)
//        medveil_evaluate --speed-child keyregion|emr SIZE --corpus DIR --notes DIR   (internal)
#include "Evaluation.h"

#include <exception>
#include <fstream>
#include <iostream>

using namespace medveil::evaluation;
namespace fs = std::filesystem;

namespace {

nlohmann::json readJson(const fs::path& path)
{
    std::ifstream in(path);
    if (!in)
        return nullptr;
    auto parsed = nlohmann::json::parse(in, nullptr, false);
    return parsed.is_discarded() ? nlohmann::json(nullptr) : parsed;
}

} // namespace

int main(int argc, char** argv)
{
    Paths paths;
    paths.self = fs::canonical("/proc/self/exe");
    fs::path report;
    std::string childScheme;
    bool renderOnly = false;
    int childSize = 0;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto next = [&]() -> std::string {
            if (i + 1 >= argc) {
                std::cerr << "medveil_evaluate: " << a << " needs a value\n";
                std::exit(1);
            }
            return argv[++i];
        };
        if (a == "--corpus")
            paths.corpus = next();
        else if (a == "--camera")
            paths.camera = next();
        else if (a == "--notes")
            paths.notes = next();
        else if (a == "--out")
            paths.out = next();
        else if (a == "--report")
            report = next();
        else if (a == "--render-only")
            renderOnly = true;
        else if (a == "--speed-child") {
            childScheme = next();
            childSize = std::stoi(next());
        } else {
            std::cerr
                << "usage: medveil_evaluate --corpus DIR --camera PNG --notes DIR --out DIR --report FILE\n";
            return 1;
        }
    }
    try {
        if (!childScheme.empty())
            return runSpeedChild(paths, childScheme, childSize);
        if (renderOnly) { // the wording of the report changed, not the measurements
            const nlohmann::json results = readJson(paths.out / "evaluation.json");
            if (!results.is_object() || report.empty()) {
                std::cerr
                    << "medveil_evaluate: --render-only needs --out DIR with evaluation.json and --report\n";
                return 1;
            }
            std::ofstream(report.string() + ".tmp") << renderReport(results);
            fs::rename(report.string() + ".tmp", report);
            return 0;
        }
        if (paths.corpus.empty() || paths.out.empty() || report.empty()) {
            std::cerr
                << "usage: medveil_evaluate --corpus DIR --camera PNG --notes DIR --out DIR --report FILE\n";
            return 1;
        }
        fs::create_directories(paths.out);
        nlohmann::json results;
        // Speed first: its child processes start before this one has loaded anything large.
        results["speed"] = evaluateSpeed(paths);
        results["keyregion"] = evaluateKeyRegion(paths);
        results["rdh"] = evaluateReversibleHiding(paths);
        results["cipher_figures"] = evaluateCipherFigures(paths);
        results["cipher_table"] = readJson(paths.out / "cipher_analysis.json");
        results["hinet"] = readJson(paths.out / "hinet_heldout.json");
        results["hinet_modalities"] = readJson(paths.out / "hinet_modalities.json");
        results["hinet_training"] = evaluateHinetTraining(paths, MEDVEIL_MODELS_DIR);
        results["keyless_attack"] = evaluateKeylessAttack(paths, 7);
        results["keyregion_body"] = readJson(paths.out / "keyregion_body.json");
        results["stamp"] = readJson(paths.out / "stamp.json");
        std::ofstream(paths.out / "evaluation.json") << results.dump(2) << "\n";
        const std::string markdown = renderReport(results);
        const fs::path temporary = report.string() + ".tmp";
        std::ofstream(temporary) << markdown;
        fs::rename(temporary, report);
        std::cerr << "wrote " << report << " and " << (paths.out / "evaluation.json") << "\n";
    } catch (const std::exception& e) {
        std::cerr << "medveil_evaluate: " << e.what() << "\n";
        return 5;
    }
    return 0;
}
