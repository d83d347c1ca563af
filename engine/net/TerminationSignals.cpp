// SPDX-License-Identifier: GPL-3.0-or-later
#include "net/DicomNode.h"

#include <pthread.h>

namespace medveil::net {

TerminationSignals::TerminationSignals()
{
    sigemptyset(&m_signals);
    for (int signal : {SIGINT, SIGTERM, SIGHUP})
        sigaddset(&m_signals, signal);
    pthread_sigmask(SIG_BLOCK, &m_signals, &m_saved);
}

TerminationSignals::~TerminationSignals()
{
    // Nothing pending may fire once the mask is restored: this scope has seen to them.
    timespec zero{};
    while (sigtimedwait(&m_signals, nullptr, &zero) > 0) {
    }
    pthread_sigmask(SIG_SETMASK, &m_saved, nullptr);
}

int TerminationSignals::wait(std::chrono::milliseconds timeout)
{
    timespec span{};
    span.tv_sec = static_cast<time_t>(timeout.count() / 1000);
    span.tv_nsec = static_cast<long>(timeout.count() % 1000) * 1000000L;
    const int signal = sigtimedwait(&m_signals, nullptr, &span);
    return signal > 0 ? signal : 0;
}

} // namespace medveil::net
