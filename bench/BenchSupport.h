// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <string>
#include <vector>

namespace medveil::bench {

/// The median: the middle value, or the mean of the two middle values of an even count (as numpy's and
/// Python's statistics.median); 0 for none. Every median a benchmark or the report prints comes from here:
/// the upper-middle value alone read high on even counts (issue #29's median of 46 held-out images).
inline double median(std::vector<double> values)
{
    if (values.empty())
        return 0;
    const size_t n = values.size();
    std::nth_element(values.begin(), values.begin() + long(n / 2), values.end());
    const double upper = values[n / 2];
    if (n % 2)
        return upper;
    return (*std::max_element(values.begin(), values.begin() + long(n / 2)) + upper) / 2;
}

/// Median wall time in milliseconds of `runs` calls of `fn` (after one warm-up call).
template <typename Fn> double medianMs(int runs, Fn&& fn)
{
    fn();
    std::vector<double> times;
    for (int i = 0; i < runs; ++i) {
        const auto start = std::chrono::steady_clock::now();
        fn();
        times.push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
    }
    return median(std::move(times));
}

/// Median wall and process-CPU milliseconds of `runs` calls of `fn` (after one warm-up call). The CPU time
/// counts every thread of the process and is less sensitive than wall time to other jobs on a shared machine.
struct Timing
{
    double wallMs = 0, cpuMs = 0;
};
template <typename Fn> Timing medianTiming(int runs, Fn&& fn)
{
    auto cpuNow = [] {
        timespec t{};
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
        return double(t.tv_sec) * 1e3 + double(t.tv_nsec) / 1e6;
    };
    fn();
    std::vector<double> wall, cpu;
    for (int i = 0; i < runs; ++i) {
        const auto start = std::chrono::steady_clock::now();
        const double cpuStart = cpuNow();
        fn();
        cpu.push_back(cpuNow() - cpuStart);
        wall.push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
    }
    return {median(std::move(wall)), median(std::move(cpu))};
}

/// Standard output of a shell command (empty when it cannot run).
inline std::string commandOutput(const std::string& command)
{
    std::string out;
    if (FILE* pipe = ::popen(command.c_str(), "r")) {
        char buffer[4096];
        size_t n;
        while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0)
            out.append(buffer, n);
        ::pclose(pipe);
    }
    return out;
}

/// Peak resident set size of this process in MiB (VmHWM from /proc/self/status).
inline double peakRssMiB()
{
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("VmHWM:", 0) == 0)
            return std::stod(line.substr(6)) / 1024.0;
    return 0;
}

} // namespace medveil::bench
