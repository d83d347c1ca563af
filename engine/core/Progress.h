// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string_view>

namespace medveil {

/// Receives progress from long engine calls: fraction in [0, 1] and a short stage name.
/// Called on the worker thread; implementations must be thread-safe.
using ProgressSink = std::function<void(double fraction, std::string_view stage)>;

/// Cooperative cancellation shared between a caller (any thread) and an engine call.
/// Copies share one flag; a default-constructed token can be cancelled too.
class CancelToken
{
public:
    CancelToken() : m_flag(std::make_shared<std::atomic<bool>>(false)) {}

    void cancel() const { m_flag->store(true, std::memory_order_relaxed); }
    [[nodiscard]] bool isCancelled() const { return m_flag->load(std::memory_order_relaxed); }

private:
    std::shared_ptr<std::atomic<bool>> m_flag;
};

/// Progress sink plus cancel token, passed by const reference to slow engine calls.
struct JobControl
{
    ProgressSink progress;
    CancelToken cancel;

    void report(double fraction, std::string_view stage) const
    {
        if (progress)
            progress(fraction, stage);
    }
    [[nodiscard]] bool cancelled() const { return cancel.isCancelled(); }
    /// The same cancel token with progress mapped into [from, to] of this job: a stage of a longer call.
    [[nodiscard]] JobControl stage(double from, double to) const
    {
        JobControl sub;
        sub.cancel = cancel;
        if (progress)
            sub.progress = [sink = progress, from, to](double f, std::string_view s) {
                sink(from + (to - from) * f, s);
            };
        return sub;
    }
};

} // namespace medveil
