// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/Result.h"
#include "net/ForwardQueue.h"

#include <chrono>
#include <csignal>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

/// The protecting DICOM node (`medveil-cli dicom serve`): a C-STORE SCP (DCMTK's dcmnet) that runs an
/// action on every instance it receives, answers the C-STORE with the action's outcome, and forwards the
/// results through a persistent ForwardQueue.
namespace medveil::net {

/// The action run for one received instance: the received Part-10 file (a temporary the node removes
/// afterwards) → the result written atomically into `outDir` (its path), or the error (then nothing is
/// written). Called on several threads at once.
using InstanceProcessor = std::function<Result<std::filesystem::path>(const std::filesystem::path& received,
                                                                      const std::filesystem::path& outDir)>;

struct NodeSettings
{
    std::string bindAddress = "0.0.0.0"; ///< an IPv4 address of this machine (127.0.0.1: this machine only)
    uint16_t port = 104;                 ///< 0: a free port (DicomNode::port() tells which)
    std::string aeTitle = "MEDVEIL";     ///< associations calling another AE title are rejected
    std::filesystem::path outDir;        ///< created (owner-only) when missing
    std::optional<ForwardDestination> forward;
    std::filesystem::path queueDir; ///< the forward queue; empty: OUT/.medveil-forward-queue
    RetryPolicy retry{};
    int maxAssociations = 16; ///< at once; more are rejected ("local limit exceeded")
    int workers = 0;          ///< actions at once; 0: one per core
    int idleTimeoutS = 60;    ///< an association silent this long is aborted
};

/// What the node reports: one Instance event per received instance, one Delivery event per queued result
/// the background thread delivered or failed to deliver.
struct NodeEvent
{
    enum class Kind
    {
        Instance,
        Delivery,
    };
    enum class Forward
    {
        None,   ///< no --forward, or the action failed
        Sent,   ///< the destination stored it
        Queued, ///< waiting in the queue (detail: why)
        Failed, ///< could not even be queued (detail)
    };
    Kind kind = Kind::Instance;
    std::chrono::system_clock::time_point time;
    std::string sopInstanceUid;   ///< the received instance's (Instance)
    std::string callingAe;        ///< the sender's AE title (Instance)
    Status result;                ///< the action's outcome (Instance), the delivery's (Delivery)
    std::filesystem::path output; ///< the file written (Instance) / the queue entry's name (Delivery)
    Forward forward = Forward::None;
    std::string forwardDetail;
    uint16_t dimseStatus = 0; ///< the C-STORE response status sent (Instance)
    int attempts = 0;         ///< Delivery: tries of this entry
    double ms = 0;            ///< Instance: receive → action → queue (reported before the response)
};
using NodeEventListener = std::function<void(const NodeEvent&)>;

/// A running node. start() binds the port (an error names the address), drains the queue left by an
/// earlier run, and accepts associations on a thread of its own, each association on its own thread;
/// actions run on at most `workers` of them at once. requestStop() stops accepting: every association
/// ends after the instance in hand (its response sent, its result written and queued).
class DicomNode
{
public:
    static Result<std::unique_ptr<DicomNode>> start(NodeSettings settings, InstanceProcessor processor,
                                                    NodeEventListener listener);
    ~DicomNode(); ///< requestStop() + wait()
    DicomNode(const DicomNode&) = delete;
    DicomNode& operator=(const DicomNode&) = delete;

    [[nodiscard]] uint16_t port() const;
    void requestStop();
    /// Until the listener and every association have ended and the forward queue's thread is stopped.
    void wait();
    /// Results waiting in the forward queue (0 without --forward).
    [[nodiscard]] size_t queued() const;

    struct Impl;
    /// Impl is complete only in the DICOM plugin (io/DicomModule.h): its deletion is too.
    struct ImplDeleter
    {
        void operator()(Impl* impl) const;
    };

private:
    explicit DicomNode(std::unique_ptr<Impl, ImplDeleter> impl);
    std::unique_ptr<Impl, ImplDeleter> m_impl;
};

/// SIGINT, SIGTERM and SIGHUP blocked for the calling thread — and every thread it starts afterwards —
/// while alive, so that they reach wait() instead of ending the process: create it before the node's
/// threads start. The mask is restored (and nothing pending left) by the destructor.
class TerminationSignals
{
public:
    TerminationSignals();
    ~TerminationSignals();
    TerminationSignals(const TerminationSignals&) = delete;
    TerminationSignals& operator=(const TerminationSignals&) = delete;
    /// The signal that arrived within `timeout`, or 0.
    int wait(std::chrono::milliseconds timeout);

private:
    sigset_t m_signals{};
    sigset_t m_saved{};
};

} // namespace medveil::net
