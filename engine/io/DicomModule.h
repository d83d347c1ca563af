// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Internal to the engine: the DICOM half of the engine (everything that calls DCMTK: reading, writing and
// de-identifying files, folder scans, the PACS client, the node) lives in a plugin, libmedveil_dicom.so,
// loaded with dlopen on the first DICOM call. DCMTK and the ~30 libraries behind it (libwrap, Kerberos,
// libxml2, ICU, the IJG and CharLS codecs) are then mapped only by a process that reads or sends DICOM:
// `--version`, a PNG protection, the GUI's start never pay for them.
//
// The engine's public DICOM functions keep their headers; in the programs they are one-line forwarders
// (io/DicomForwarders.cpp) into this table, which the plugin fills with the real definitions
// (io/dicom/DicomModuleEntry.cpp). The fuzz build links the real definitions in instead (no plugin).
// MEDVEIL_DICOM_PLUGIN names another plugin file (tests); the default is the plugin directory beside the
// executable (core/InstallLayout.h). Plugin and programs come from one build: the table's size and
// kDicomModuleAbi must match, or loading fails (an Internal error naming the file).

#include "io/DicomFile.h"
#include "io/DicomSeries.h"
#include "net/DicomNode.h"
#include "net/ForwardQueue.h"
#include "net/PacsClient.h"

namespace medveil {

inline constexpr int kDicomModuleAbi = 1;

struct DicomModule
{
    int abi = kDicomModuleAbi;
    size_t size = sizeof(DicomModule);

    // io/DicomFile.h
    Result<DicomFile> (*read)(const std::filesystem::path& path);
    Result<DicomFile> (*fromBytes)(const Bytes& data, const std::string& name);
    std::string (*attribute)(const DicomFile& file, uint16_t group, uint16_t element);
    Result<Bytes> (*encode)(const DicomFile& file, const Image& pixels,
                            const std::map<std::string, std::string>& metadata, DicomFile::Instance instance);
    Result<Bytes> (*protectionDigest)(const DicomFile& file);
    Result<Bytes> (*legacyProtectionDigest)(const DicomFile& file);
    Result<Bytes> (*headerDigest)(const DicomFile& file);
    Result<DicomIdentity> (*identity)(const DicomFile& file);
    std::vector<DicomAttribute> (*attributes)(const DicomFile& file);
    Result<DicomFile> (*deidentified)(const DicomFile& file);
    Result<Bytes> (*encodeSealed)(const DicomFile& file, const Image& pixels8,
                                  const std::map<std::string, std::string>& metadata,
                                  const DicomIdentity& identity);
    Result<Bytes> (*encodeRestored)(const DicomFile& file, const Image& pixels, const std::string& identity,
                                    bool lossy);
    Result<DicomFile> (*restored)(const DicomFile& file, const Image& pixels, const std::string& identity,
                                  bool lossy);
    std::string (*restoredIdentity)(const DicomFile& file, const DicomFile& restored);

    // io/DicomSeries.h
    Result<DicomFolderScan> (*scanDicomFolder)(const std::filesystem::path& folder, const JobControl& control,
                                               size_t maxFiles);

    // net/PacsClient.h
    Status (*checkAssociation)(const net::Association& association);
    Result<std::string> (*transferSyntaxUid)(const std::string& nameOrUid);
    Result<net::EchoResult> (*echo)(const net::Association& association, const JobControl& control);
    Result<std::vector<net::StudyRecord>> (*findStudies)(const net::Association& association,
                                                         const net::StudyQuery& query,
                                                         const JobControl& control);
    Result<std::vector<net::SeriesRecord>> (*findSeries)(const net::Association& association,
                                                         const std::string& studyInstanceUid,
                                                         const JobControl& control);
    Result<net::RetrieveResult> (*retrieve)(const net::Association& association,
                                            const net::RetrieveRequest& request, const JobControl& control);
    Result<std::vector<std::filesystem::path>> (*collectDicomFiles)(
        const std::vector<std::filesystem::path>& paths);
    Result<net::SendResult> (*send)(const net::Association& association,
                                    const std::vector<std::filesystem::path>& files,
                                    const JobControl& control);

    // net/ForwardQueue.h
    Status (*storeFile)(const std::filesystem::path& file, const net::ForwardDestination& destination);

    // net/DicomNode.h
    Result<std::unique_ptr<net::DicomNode>> (*startNode)(net::NodeSettings settings,
                                                         net::InstanceProcessor processor,
                                                         net::NodeEventListener listener);
    uint16_t (*nodePort)(const net::DicomNode& node);
    void (*requestNodeStop)(net::DicomNode& node);
    void (*waitForNode)(net::DicomNode& node);
    size_t (*nodeQueued)(const net::DicomNode& node);
    void (*deleteNodeImpl)(net::DicomNode::Impl* impl);
};

} // namespace medveil

/// The plugin's entry point: its table (static storage; the plugin is never unloaded).
extern "C" const medveil::DicomModule* medveil_dicom_module();
