// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/Result.h"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <thread>

/// Forwarding of the DICOM node's results (`medveil-cli dicom serve --forward`): one C-STORE per file with
/// DCMTK's DcmStorageSCU, behind a persistent on-disk queue so that nothing the node accepted is lost while
/// the destination is down or the node restarts.
namespace medveil::net {

/// The node a result goes to, and the timeouts every wait on it is bounded by.
struct ForwardDestination
{
    std::string host;
    uint16_t port = 104;
    std::string calledAe;              ///< the destination's AE title
    std::string callingAe = "MEDVEIL"; ///< ours
    int connectTimeoutS = 5;
    int acseTimeoutS = 10;
    int dimseTimeoutS = 30;
};

/// HOST:PORT:AE (an IPv4 address or a host name; port 1–65535; AE 1–16 characters). Usage otherwise.
Result<ForwardDestination> parseForwardDestination(const std::string& hostPortAe);

/// One association with `destination` carrying one C-STORE of the Part-10 file `file` in its own transfer
/// syntax. BadInput with the reason for everything the network or the peer did (refused connection,
/// rejected association, no accepted presentation context, a non-success C-STORE status).
Status storeFile(const std::filesystem::path& file, const ForwardDestination& destination);

/// The retry schedule while the destination fails: the first retry after `first`, each next one twice as
/// late, never later than `longest`; a success starts over.
struct RetryPolicy
{
    std::chrono::milliseconds first{500};
    std::chrono::milliseconds longest{30000};
};

/// The files waiting for the destination, each a complete copy in `folder` (written atomically, owner-only,
/// named so that name order is arrival order): an entry is removed only after the destination answered its
/// C-STORE with success. A background thread delivers what is there — entries left by an earlier run
/// first — and retries with back-off while the destination fails. Thread-safe.
class ForwardQueue
{
public:
    /// A delivery by the background thread (the entry's file name, and the destination's answer).
    struct Delivery
    {
        std::string entry;
        Status status;
        int attempts = 0; ///< tries of this entry, this one included
    };
    using DeliveryListener = std::function<void(const Delivery&)>;

    /// Opens (creates, owner-only) `folder`; nothing is sent before start().
    static Result<std::unique_ptr<ForwardQueue>> open(const std::filesystem::path& folder,
                                                      ForwardDestination destination, RetryPolicy retry,
                                                      DeliveryListener listener = {});
    ~ForwardQueue();
    ForwardQueue(const ForwardQueue&) = delete;
    ForwardQueue& operator=(const ForwardQueue&) = delete;

    /// A durable copy of `file` in the queue (fsynced before this returns): its entry's path, reserved for
    /// the deliverNow() call that must follow (the background thread leaves it alone until then).
    Result<std::filesystem::path> add(const std::filesystem::path& file, const std::string& label);

    /// What became of an entry handed to deliverNow().
    enum class Outcome
    {
        Sent,   ///< the destination stored it; the entry is gone
        Queued, ///< the destination is down (or in back-off): the background thread retries it
    };
    struct Attempt
    {
        Outcome outcome = Outcome::Queued;
        std::string detail; ///< why it is queued
    };
    /// Tries an entry add() just returned once, now, on the calling thread — unless the destination failed
    /// recently (then it is left to the background thread's next retry).
    Attempt deliverNow(const std::filesystem::path& entry);

    /// Starts the background thread (drains what an earlier run left).
    void start();
    /// Ends the background thread after the send in progress; entries stay for the next run.
    void stop();
    /// Entries waiting (in the folder).
    [[nodiscard]] size_t pending() const;

private:
    ForwardQueue(std::filesystem::path folder, ForwardDestination destination, RetryPolicy retry,
                 DeliveryListener listener);
    void run();
    /// Sends a claimed entry; updates the back-off and removes the entry on success.
    Status sendClaimed(const std::filesystem::path& entry);

    const std::filesystem::path m_folder;
    const ForwardDestination m_destination;
    const RetryPolicy m_retry;
    const DeliveryListener m_listener;

    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::set<std::string> m_claimed; ///< entries being sent right now (by any thread)
    std::chrono::steady_clock::time_point m_nextTry{};
    std::chrono::milliseconds m_delay{0};
    bool m_stopping = false;
    uint64_t m_sequence = 0;
    std::thread m_thread;
};

} // namespace medveil::net
