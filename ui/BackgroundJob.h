// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/Progress.h"

#include <QCoreApplication>
#include <QFutureWatcher>
#include <QObject>
#include <QPointer>
#include <QPromise>
#include <QThread>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>

#include <functional>
#include <memory>

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace medveil::ui {

/// MedVeil's own worker pool for engine jobs (one for the whole application). Not Qt's global pool: Qt 6
/// splits QImage conversions and smooth scaling done on the GUI thread into segments that run on the
/// global pool and waits for them, so an engine job holding the global pool's threads used to block the
/// GUI thread for the job's whole duration (measured: 300–470 ms while the HiNet plugin loaded).
inline QThreadPool* jobThreadPool()
{
    static QThreadPool* pool = [] {
        auto* p = new QThreadPool(QCoreApplication::instance());
        p->setMaxThreadCount(std::max(2, QThread::idealThreadCount()));
        // Engine jobs yield to the GUI thread (2-core machines: the interface must never stutter).
        p->setThreadPriority(QThread::LowPriority);
        return p;
    }();
    return pool;
}

/// Runs one engine call off the GUI thread (QtConcurrent, promise mode) and delivers its result on
/// the GUI thread through a QFutureWatcher owned by `owner`. Progress goes to `onProgress`
/// (0–1000), cancel() reaches the engine through its CancelToken. Nothing from the GUI is captured
/// into the worker except the `work` callable and its own control block.
template <typename T> class BackgroundJob
{
public:
    using Work = std::function<T(const JobControl&)>;
    using Done = std::function<void(T)>;

    /// Starts `work`; `onDone` runs on the GUI thread unless the job was cancelled first.
    static std::shared_ptr<BackgroundJob> start(QObject* owner, Work work, Done onDone,
                                                std::function<void(int)> onProgress = {})
    {
        auto job = std::shared_ptr<BackgroundJob>(new BackgroundJob);
        auto* watcher = new QFutureWatcher<std::shared_ptr<T>>(owner);
        job->m_watcher = watcher;
        CancelToken token = job->m_token;
        if (onProgress)
            QObject::connect(watcher, &QFutureWatcherBase::progressValueChanged, owner,
                             [onProgress](int value) { onProgress(value); });
        QObject::connect(watcher, &QFutureWatcherBase::finished, owner, [watcher, token, onDone] {
            const bool cancelled = token.isCancelled() || watcher->isCanceled();
            std::shared_ptr<T> result;
            if (!cancelled && watcher->future().resultCount() > 0)
                result = watcher->result();
            watcher->deleteLater();
            if (result && onDone)
                onDone(std::move(*result));
        });
        watcher->setFuture(QtConcurrent::run(
            jobThreadPool(), [work = std::move(work), token](QPromise<std::shared_ptr<T>>& promise) {
                lowerThisThreadsPriority();
                promise.setProgressRange(0, 1000);
                JobControl control;
                control.cancel = token;
                control.progress = [&promise, token](double fraction, std::string_view) {
                    if (promise.isCanceled())
                        token.cancel();
                    promise.setProgressValue(static_cast<int>(fraction * 1000));
                };
                promise.addResult(std::make_shared<T>(work(control)));
            }));
        return job;
    }

    /// Asks the engine call to stop; its result (if any) is dropped.
    void cancel()
    {
        m_token.cancel();
        if (m_watcher)
            m_watcher->cancel();
    }
    [[nodiscard]] bool isCancelled() const { return m_token.isCancelled(); }

private:
    BackgroundJob() = default;

    /// Linux ignores Qt's thread priorities for normal threads; nice the worker (and the LibTorch/OpenMP
    /// threads it creates, which inherit it) so the GUI thread always gets a core on small machines.
    static void lowerThisThreadsPriority()
    {
        static thread_local const bool done = [] {
            ::setpriority(PRIO_PROCESS, static_cast<id_t>(::syscall(SYS_gettid)), 10);
            return true;
        }();
        (void)done;
    }

    CancelToken m_token;
    QPointer<QFutureWatcher<std::shared_ptr<T>>> m_watcher; // owned by the Qt owner object
};

} // namespace medveil::ui
