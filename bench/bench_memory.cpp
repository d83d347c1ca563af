// SPDX-License-Identifier: GPL-3.0-or-later
// Peak memory and time per pixel of protect (8- and 16-bit) and emr-seal / emr-open from 256² to 8000²
// (issue #28: protect ≤ 24 B/px, emr-seal/open ≤ 64 B/px, time linear in pixels). Each figure is one
// fresh medveil-cli process: its peak resident set (the kernel's ru_maxrss of the child, which is what the
// machine has to hold, libraries and all) and its wall time, reading and writing PNGs as a user would.
// The images are real corpus slices tiled with mirror copies of themselves (no seams, no noise) up to the
// size, or shrunk with INTER_AREA below 512².
// With --baseline OLD_CLI every figure is measured for both executables in the same run, alternately.
// Prints one JSON object. Usage:
//   bench_memory [--cli CLI] [--baseline OLD_CLI] [--sizes 256,1024,...] [--emr-sizes 256,...]
//                [--corpus DIR] [--keep DIR]
#include "ChildProcess.h"
#include "crypto/RsaKey.h"
#include "io/ImageIo.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <unistd.h>

using namespace medveil;
using namespace medveil::bench;
namespace fs = std::filesystem;

namespace {

std::vector<int> parseSizes(const std::string& text)
{
    std::vector<int> sizes;
    std::stringstream in(text);
    std::string item;
    while (std::getline(in, item, ','))
        if (!item.empty())
            sizes.push_back(std::stoi(item));
    return sizes;
}

nlohmann::json figures(const ChildRun& run, double pixels)
{
    return {{"exit", run.exitCode},
            {"peak_rss_mib", run.peakRssBytes / 1048576.0},
            {"bytes_per_pixel", run.peakRssBytes / pixels},
            {"wall_ms", run.wallMs},
            {"user_ms", run.userMs},
            {"system_ms", run.systemMs},
            {"ns_per_pixel", run.wallMs * 1e6 / pixels}};
}

} // namespace

int main(int argc, char** argv)
{
    std::string cli = MEDVEIL_CLI, baseline, corpus = MEDVEIL_CORPUS_DIR, keep;
    std::vector<int> sizes{256, 1024, 2048, 4096, 8000}, emrSizes{256, 1024, 2048, 4096};
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string option = argv[i], value = argv[i + 1];
        if (option == "--cli")
            cli = value;
        else if (option == "--baseline")
            baseline = value;
        else if (option == "--sizes")
            sizes = parseSizes(value);
        else if (option == "--emr-sizes")
            emrSizes = parseSizes(value);
        else if (option == "--corpus")
            corpus = value;
        else if (option == "--keep")
            keep = value;
        else {
            std::cerr << "unknown option " << option << "\n";
            return 1;
        }
    }
    const fs::path dir =
        keep.empty() ? fs::temp_directory_path() / ("medveil-bench-memory-" + std::to_string(::getpid()))
                     : fs::path(keep);
    fs::create_directories(dir);
    const RsaKey key = *RsaKey::generate(2048);
    std::ofstream(dir / "pub.pem") << *key.publicPem();
    std::ofstream(dir / "priv.pem") << *key.privatePem();
    fs::permissions(dir / "priv.pem", fs::perms::owner_read | fs::perms::owner_write);
    std::ofstream(dir / "note.txt") << "Patient stable; MRI brain without acute findings. 病情稳定。";
    const std::string d = dir.string();

    // 8-bit: a T1 MRI slice; 16-bit: a CT slice (both real scans of the corpus).
    const auto mri = readImage(corpus + "/mri_colin_axial_z160_512.png");
    const auto ct = readImage(corpus + "/ct_small_512_16.png");
    if (!mri || !ct) {
        std::cerr << "cannot read the corpus in " << corpus << "\n";
        return 2;
    }
    struct Executable
    {
        std::string label, path;
    };
    std::vector<Executable> executables{{"new", cli}};
    if (!baseline.empty())
        executables.insert(executables.begin(), {"old", baseline});

    nlohmann::json table = nlohmann::json::array();
    std::map<std::string, nlohmann::json> largest; // "label/operation" → the figures at the largest size
    auto largestOf = [](const std::vector<int>& list) {
        return list.empty() ? 0 : *std::max_element(list.begin(), list.end());
    };
    const int allLargest = std::max(largestOf(sizes), largestOf(emrSizes));
    for (int size = 0; size <= allLargest; ++size) {
        const bool protectHere = std::find(sizes.begin(), sizes.end(), size) != sizes.end();
        const bool emrHere = std::find(emrSizes.begin(), emrSizes.end(), size) != emrSizes.end();
        if (!protectHere && !emrHere)
            continue;
        const double pixels = double(size) * double(size);
        const std::string in8 = d + "/in8.png", in16 = d + "/in16.png";
        (void)writePng(in8, *Image::fromMat(imageOfSize(mri->mat(), size)), {});
        (void)writePng(in16, *Image::fromMat(imageOfSize(ct->mat(), size)), {});
        nlohmann::json row{{"size", size}, {"pixels", pixels}};
        for (const Executable& exe : executables) {
            nlohmann::json& mine = row[exe.label];
            const std::string out = d + "/out-" + exe.label;
            if (protectHere) {
                for (const auto& [name, input] :
                     {std::pair{"protect 8-bit", in8}, {"protect 16-bit", in16}}) {
                    fs::remove(out + ".png");
                    const ChildRun run =
                        runChild({exe.path, "protect", input, out + ".png", "--public", d + "/pub.pem"});
                    mine[name] = figures(run, pixels);
                }
            }
            if (emrHere) {
                fs::remove(out + "-sealed.png");
                const ChildRun seal =
                    runChild({exe.path, "emr-seal", "--image", in8, "--emr", d + "/note.txt",
                              out + "-sealed.png", "--public", d + "/pub.pem"});
                mine["emr-seal"] = figures(seal, pixels);
                fs::remove(out + "-emr.txt");
                fs::remove(out + "-opened.png");
                const ChildRun open =
                    runChild({exe.path, "emr-open", out + "-sealed.png", "--private", d + "/priv.pem",
                              "--emr-out", out + "-emr.txt", "--image-out", out + "-opened.png"});
                mine["emr-open"] = figures(open, pixels);
                // Exact recovery: the opened image must be the input, pixel for pixel.
                const auto opened = readImage(out + "-opened.png");
                const auto original = readImage(in8);
                mine["emr-open"]["identical"] = opened && original && opened->identicalTo(*original);
            }
            for (auto& [operation, value] : mine.items())
                largest[exe.label + "/" + operation] = value;
        }
        table.push_back(row);
        std::cerr << "size " << size << " done\n";
    }
    if (keep.empty())
        fs::remove_all(dir);

    const std::string mine = executables.back().label;
    const int protectSize = largestOf(sizes), emrSize = largestOf(emrSizes);
    // A figure of a run that failed is no figure: null (bench/report.py prints "not measured").
    auto bytesPerPixel = [&](const std::string& operation) {
        const auto found = largest.find(mine + "/" + operation);
        return found == largest.end() || found->second["exit"] != 0 ? nlohmann::json()
                                                                    : found->second["bytes_per_pixel"];
    };
    const nlohmann::json seal = bytesPerPixel("emr-seal"), open = bytesPerPixel("emr-open");
    nlohmann::json emrWorst;
    if (seal.is_number() && open.is_number())
        emrWorst = std::max(seal.get<double>(), open.get<double>());
    const std::string side = std::to_string(protectSize) + "²";
    nlohmann::json rows = nlohmann::json::array();
    if (protectSize == 8000)
        rows.push_back({{"name", "protect 8000² peak memory"},
                        {"value", bytesPerPixel("protect 8-bit")},
                        {"unit", "B/px"},
                        {"target", 24},
                        {"op", "<="},
                        {"source", "8-bit MRI tiled to 8000², peak RSS of the medveil-cli process"}});
    if (protectSize > 0)
        rows.push_back({{"name", "protect " + side + " 16-bit peak memory"},
                        {"value", bytesPerPixel("protect 16-bit")},
                        {"unit", "B/px"},
                        {"target", 24},
                        {"op", "<="},
                        {"source", "16-bit CT tiled to " + side + ", peak RSS of the medveil-cli process"}});
    if (emrSize > 0)
        rows.push_back({{"name", "emr-seal/open peak memory"},
                        {"value", emrWorst},
                        {"unit", "B/px"},
                        {"target", 64},
                        {"op", "<="},
                        {"source", "the larger of emr-seal and emr-open at " + std::to_string(emrSize) +
                                       "² (8-bit MRI), peak RSS of the medveil-cli process"}});
    std::cout << nlohmann::json{{"benchmark", "memory"}, {"cli", cli},
                                {"baseline", baseline},  {"protect_sizes", sizes},
                                {"emr_sizes", emrSizes}, {"table", table},
                                {"rows", rows}}
                     .dump(2)
              << "\n";
    return 0;
}
