// SPDX-License-Identifier: GPL-3.0-or-later
// A child process's own peak memory and times, and real test images of any size: shared by bench_memory
// and the memory regression test (tests/engine/test_memory.cpp).
#pragma once

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <chrono>
#include <fcntl.h>
#include <string>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace medveil::bench {

struct ChildRun
{
    int exitCode = -1;
    double wallMs = 0, userMs = 0, systemMs = 0;
    double peakRssBytes = 0;
};

/// Runs argv as a child (stdout and stderr to /dev/null) and returns its own peak RSS and times.
inline ChildRun runChild(const std::vector<std::string>& argv)
{
    std::vector<char*> args;
    for (const std::string& a : argv)
        args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    const auto start = std::chrono::steady_clock::now();
    const pid_t pid = ::fork();
    if (pid == 0) {
        const int null = ::open("/dev/null", O_WRONLY);
        ::dup2(null, 1);
        ::dup2(null, 2);
        ::execv(args[0], args.data());
        ::_exit(127);
    }
    ChildRun run;
    if (pid < 0)
        return run;
    int status = 0;
    rusage usage{};
    if (::wait4(pid, &status, 0, &usage) != pid)
        return run;
    run.wallMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    run.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    run.userMs = double(usage.ru_utime.tv_sec) * 1e3 + double(usage.ru_utime.tv_usec) / 1e3;
    run.systemMs = double(usage.ru_stime.tv_sec) * 1e3 + double(usage.ru_stime.tv_usec) / 1e3;
    run.peakRssBytes = double(usage.ru_maxrss) * 1024.0; // Linux: kilobytes
    return run;
}

/// `source` tiled with its mirror images (source | flipped; flipped rows below) to size × size, or shrunk
/// when smaller: a real slice's texture and background at any size, with no seams between the tiles.
inline cv::Mat imageOfSize(const cv::Mat& source, int size)
{
    if (size <= std::min(source.cols, source.rows)) {
        cv::Mat out;
        cv::resize(source, out, cv::Size(size, size), 0, 0, cv::INTER_AREA);
        return out;
    }
    cv::Mat flippedX, flippedY, flippedXY, top, bottom, mosaic;
    cv::flip(source, flippedX, 1);
    cv::flip(source, flippedY, 0);
    cv::flip(source, flippedXY, -1);
    cv::hconcat(source, flippedX, top);
    cv::hconcat(flippedY, flippedXY, bottom);
    cv::vconcat(top, bottom, mosaic);
    cv::Mat tiled;
    cv::repeat(mosaic, (size + mosaic.rows - 1) / mosaic.rows, (size + mosaic.cols - 1) / mosaic.cols, tiled);
    return tiled(cv::Rect(0, 0, size, size)).clone();
}

} // namespace medveil::bench
