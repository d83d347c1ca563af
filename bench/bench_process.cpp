// SPDX-License-Identifier: GPL-3.0-or-later
// Process benchmark (issue #28): what a user waits for when a command starts a fresh process. Each row is
// the median wall time of RUNS fresh processes (after one warm-up), with their CPU time (wait4's rusage),
// beside /bin/true as the machine's own reference point: medveil-cli --version, protect 512², emr-seal and
// emr-open 512² end to end, and the GUI from exec to the first image painted (medveil --quit-when-shown,
// offscreen). Also the shared libraries --version and protect map (LD_DEBUG=files).
// Prints one JSON object with "rows" of {name, value, unit, target, op} (bench/run.sh's table). Usage:
// bench_process [RUNS]
#include "BenchSupport.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <set>
#include <string>
#include <vector>

#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace {

namespace fs = std::filesystem;

struct Timing
{
    double wallMs = 0, cpuMs = 0;
    bool ok = true;
};

/// Runs `argv` once with stdout/stderr to `output` (a file; /dev/null by default) and `extraEnv` added.
Timing runOnce(const std::vector<std::string>& argv, const std::vector<std::string>& extraEnv = {},
               const std::string& output = "/dev/null")
{
    std::vector<char*> args;
    for (const auto& a : argv)
        args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    std::vector<std::string> envStrings(extraEnv);
    for (char** e = environ; *e; ++e)
        envStrings.emplace_back(*e);
    std::vector<char*> env;
    for (auto& e : envStrings)
        env.push_back(e.data());
    env.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, output.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    Timing t;
    const auto start = std::chrono::steady_clock::now();
    pid_t pid = 0;
    if (posix_spawn(&pid, args[0], &actions, nullptr, args.data(), env.data()) != 0) {
        posix_spawn_file_actions_destroy(&actions);
        return {0, 0, false};
    }
    int status = 0;
    rusage usage{};
    ::wait4(pid, &status, 0, &usage);
    t.wallMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    t.cpuMs = (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1e3 +
              (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e3;
    t.ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    posix_spawn_file_actions_destroy(&actions);
    return t;
}

using medveil::bench::median;

/// Median wall and CPU of `runs` runs after one warm-up; `before` runs before each (removes outputs).
nlohmann::json measure(int runs, const std::vector<std::string>& argv,
                       const std::function<void()>& before = {},
                       const std::vector<std::string>& extraEnv = {})
{
    std::vector<double> wall, cpu;
    bool ok = true;
    for (int i = 0; i <= runs; ++i) {
        if (before)
            before();
        const Timing t = runOnce(argv, extraEnv);
        ok = ok && t.ok;
        if (i > 0) {
            wall.push_back(t.wallMs);
            cpu.push_back(t.cpuMs);
        }
    }
    return {{"wall_ms_median", median(wall)}, {"cpu_ms_median", median(cpu)}, {"ok", ok}};
}

/// The shared libraries one run maps (the loader's own list).
size_t librariesMapped(const std::vector<std::string>& argv, const fs::path& log)
{
    runOnce(argv, {"LD_DEBUG=files"}, log.string());
    std::ifstream in(log);
    std::set<std::string> names;
    std::string line;
    while (std::getline(in, line)) {
        const auto at = line.find("file=");
        if (at == std::string::npos || line.find("[0];") == std::string::npos ||
            (line.find("needed by") == std::string::npos &&
             line.find("dynamically loaded by") == std::string::npos))
            continue;
        names.insert(line.substr(at + 5, line.find(' ', at) - at - 5));
    }
    return names.size();
}

} // namespace

int main(int argc, char** argv)
{
    const int runs = argc > 1 ? std::max(1, std::atoi(argv[1])) : 7;
    const std::string cli = MEDVEIL_CLI, gui = MEDVEIL_GUI;
    const fs::path dir = fs::temp_directory_path() / ("medveil-bench-process-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const std::string d = dir.string();
    const std::string slice = std::string(MEDVEIL_CORPUS_DIR) + "/mri_colin_axial_z160_512.png";
    std::ofstream(dir / "note.txt") << "Patient stable; MRI brain without acute findings. 病情稳定。\n";
    if (!runOnce({cli, "keygen", "--private", d + "/priv.pem", "--public", d + "/pub.pem"}).ok) {
        std::cerr << "bench_process: keygen failed\n";
        return 5;
    }
    auto remove = [&](std::initializer_list<const char*> names) {
        return [&dir, names] {
            for (const char* n : names)
                fs::remove(dir / n);
        };
    };
    const nlohmann::json reference = measure(runs, {"/bin/true"});
    const nlohmann::json version = measure(runs, {cli, "--version"});
    const nlohmann::json protect =
        measure(runs, {cli, "protect", slice, d + "/protected.png", "--public", d + "/pub.pem"},
                remove({"protected.png"}));
    const nlohmann::json seal = measure(runs,
                                        {cli, "emr-seal", "--image", slice, "--emr", d + "/note.txt",
                                         d + "/sealed.png", "--public", d + "/pub.pem"},
                                        remove({"sealed.png"}));
    const nlohmann::json open =
        measure(runs,
                {cli, "emr-open", d + "/sealed.png", "--private", d + "/priv.pem", "--emr-out",
                 d + "/note-out.txt", "--image-out", d + "/revealed.png"},
                remove({"note-out.txt", "revealed.png"}));
    const nlohmann::json guiStart =
        measure(runs, {gui, "--quit-when-shown", slice}, {},
                {"QT_QPA_PLATFORM=offscreen", "XDG_CONFIG_HOME=" + d + "/config"});
    const size_t versionLibraries = librariesMapped({cli, "--version"}, dir / "ld.log");
    const size_t protectLibraries = librariesMapped(
        {cli, "protect", slice, d + "/protected-ld.png", "--public", d + "/pub.pem"}, dir / "ld.log");
    fs::remove_all(dir);

    auto row = [](const char* name, const nlohmann::json& m, const nlohmann::json& target) {
        return nlohmann::json{
            {"name", name}, {"value", m["wall_ms_median"]}, {"unit", "ms"}, {"target", target},
            {"op", "<="},   {"cpu_ms", m["cpu_ms_median"]}, {"ok", m["ok"]}};
    };
    nlohmann::json table = nlohmann::json::array();
    {
        nlohmann::json start = row("process start of /bin/true", reference, nullptr);
        start["reference"] = true;
        table.push_back(start);
    }
    table.push_back(row("medveil-cli --version", version, 30));
    table.push_back(row("CLI protect 512² end to end", protect, 100));
    table.push_back(row("emr-seal 512² end to end (CLI)", seal, 1000));
    table.push_back(row("emr-open 512² end to end (CLI)", open, 700));
    table.push_back(row("GUI start → first image", guiStart, 250));
    table.push_back({{"name", "shared libraries mapped by medveil-cli --version"},
                     {"value", versionLibraries},
                     {"unit", "libraries"},
                     {"target", nullptr},
                     {"op", "<="}});
    table.push_back({{"name", "shared libraries mapped by medveil-cli protect (PNG)"},
                     {"value", protectLibraries},
                     {"unit", "libraries"},
                     {"target", nullptr},
                     {"op", "<="}});
    std::cout << nlohmann::json{{"benchmark", "process"}, {"runs", runs}, {"rows", table}}.dump(2)
              << std::endl;
    return 0;
}
