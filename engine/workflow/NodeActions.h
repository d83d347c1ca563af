// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/Result.h"
#include "crypto/RsaKey.h"
#include "emr/HiNet.h"
#include "keyregion/KeyRegionProtector.h"
#include "workflow/FileWorkflows.h"
#include "workflow/TrustedSenders.h"

#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

/// What the protecting DICOM node (`medveil-cli dicom serve`) does with each instance it receives: the
/// same workflows as the `protect`, `emr-seal`, `recover` commands (or a plain store), from the received
/// Part-10 file to one output file written atomically (nothing on failure).
namespace medveil::workflow {

enum class NodeActionKind
{
    Protect, ///< key-region protection for `key` (a public key), `protect` options
    Seal,    ///< EMR hidden encryption for `key` (a public key): the identity moves into the seal
    Recover, ///< recovery with `key` (a private key)
    Store,   ///< the received file as it arrived
};

/// "protect", "seal", "recover", "store"; Usage otherwise.
Result<NodeActionKind> parseNodeActionKind(const std::string& name);
const char* nodeActionName(NodeActionKind kind);

struct NodeActionSettings
{
    NodeActionKind kind = NodeActionKind::Store;
    std::optional<RsaKey> key;                      ///< required for every action but Store
    ProtectOptions protect{};                       ///< Protect
    std::optional<RsaKey> signer;                   ///< Protect and Seal: signs the result
    SignerRequirement requiredSigner{};             ///< Recover: what is required of the file's signer
    std::shared_ptr<HiNetModel> network;            ///< Seal (required)
    std::optional<std::filesystem::path> emrFolder; ///< Seal: STUDY_INSTANCE_UID.txt is a study's record
};

/// One instance's result.
struct NodeActionResult
{
    std::filesystem::path output;
    std::string sopInstanceUid; ///< of the received instance
};

/// The action of one node, run for each received instance; several threads may call run() at once.
class NodeAction
{
public:
    /// Usage when the action lacks its key (or Seal its network).
    static Result<NodeAction> create(NodeActionSettings settings);

    /// `received` (a Part-10 file) → `outDir`/SOP_INSTANCE_UID.dcm (Protect, Recover, Store: named after the
    /// received instance), or `outDir`/sealed-RANDOM.dcm (Seal: the de-identified result's name does not
    /// link it to the original instance). A study's record is `emrFolder`/STUDY_INSTANCE_UID.txt when it
    /// exists, the empty record otherwise. A file of the same name is replaced (a resent instance).
    Result<NodeActionResult> run(const std::filesystem::path& received,
                                 const std::filesystem::path& outDir) const;

    [[nodiscard]] NodeActionKind kind() const { return m_settings->kind; }

private:
    explicit NodeAction(std::shared_ptr<const NodeActionSettings> settings);
    std::shared_ptr<const NodeActionSettings> m_settings;
    /// HiNet already spreads one seal over every core (LibTorch's threads): seals run one at a time.
    std::shared_ptr<std::mutex> m_networkMutex;
};

} // namespace medveil::workflow
