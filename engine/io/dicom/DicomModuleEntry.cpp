// SPDX-License-Identifier: GPL-3.0-or-later
// libmedveil_dicom.so's entry point: the table of the engine's DCMTK-backed functions (io/DicomModule.h).
// Each entry calls the real definition compiled into this plugin.
#include "io/DicomModule.h"

namespace medveil {
namespace {

const DicomModule kModule{
    .abi = kDicomModuleAbi,
    .size = sizeof(DicomModule),
    .read = [](const std::filesystem::path& path) { return DicomFile::read(path); },
    .fromBytes = [](const Bytes& data, const std::string& name) { return DicomFile::fromBytes(data, name); },
    .attribute = [](const DicomFile& file, uint16_t group,
                    uint16_t element) { return file.attribute(group, element); },
    .encode = [](const DicomFile& file, const Image& pixels,
                 const std::map<std::string, std::string>& metadata,
                 DicomFile::Instance instance) { return file.encode(pixels, metadata, instance); },
    .protectionDigest = [](const DicomFile& file) { return file.protectionDigest(); },
    .legacyProtectionDigest = [](const DicomFile& file) { return file.legacyProtectionDigest(); },
    .headerDigest = [](const DicomFile& file) { return file.headerDigest(); },
    .identity = [](const DicomFile& file) { return file.identity(); },
    .attributes = [](const DicomFile& file) { return file.attributes(); },
    .deidentified = [](const DicomFile& file) { return file.deidentified(); },
    .encodeSealed =
        [](const DicomFile& file, const Image& pixels8, const std::map<std::string, std::string>& metadata,
           const DicomIdentity& identity) { return file.encodeSealed(pixels8, metadata, identity); },
    .encodeRestored = [](const DicomFile& file, const Image& pixels, const std::string& identity,
                         bool lossy) { return file.encodeRestored(pixels, identity, lossy); },
    .restored = [](const DicomFile& file, const Image& pixels, const std::string& identity,
                   bool lossy) { return file.restored(pixels, identity, lossy); },
    .restoredIdentity = [](const DicomFile& file,
                           const DicomFile& restored) { return file.restoredIdentity(restored); },
    .scanDicomFolder = [](const std::filesystem::path& folder, const JobControl& control,
                          size_t maxFiles) { return scanDicomFolder(folder, control, maxFiles); },
    .checkAssociation =
        [](const net::Association& association) { return net::checkAssociation(association); },
    .transferSyntaxUid = [](const std::string& nameOrUid) { return net::transferSyntaxUid(nameOrUid); },
    .echo = [](const net::Association& association,
               const JobControl& control) { return net::echo(association, control); },
    .findStudies = [](const net::Association& association, const net::StudyQuery& query,
                      const JobControl& control) { return net::findStudies(association, query, control); },
    .findSeries =
        [](const net::Association& association, const std::string& studyInstanceUid,
           const JobControl& control) { return net::findSeries(association, studyInstanceUid, control); },
    .retrieve = [](const net::Association& association, const net::RetrieveRequest& request,
                   const JobControl& control) { return net::retrieve(association, request, control); },
    .collectDicomFiles =
        [](const std::vector<std::filesystem::path>& paths) { return net::collectDicomFiles(paths); },
    .send = [](const net::Association& association, const std::vector<std::filesystem::path>& files,
               const JobControl& control) { return net::send(association, files, control); },
    .storeFile = [](const std::filesystem::path& file,
                    const net::ForwardDestination& destination) { return net::storeFile(file, destination); },
    .startNode =
        [](net::NodeSettings settings, net::InstanceProcessor processor, net::NodeEventListener listener) {
            return net::DicomNode::start(std::move(settings), std::move(processor), std::move(listener));
        },
    .nodePort = [](const net::DicomNode& node) { return node.port(); },
    .requestNodeStop = [](net::DicomNode& node) { node.requestStop(); },
    .waitForNode = [](net::DicomNode& node) { node.wait(); },
    .nodeQueued = [](const net::DicomNode& node) { return node.queued(); },
    .deleteNodeImpl = [](net::DicomNode::Impl* impl) { net::DicomNode::ImplDeleter{}(impl); },
};

} // namespace
} // namespace medveil

extern "C" __attribute__((visibility("default"))) const medveil::DicomModule* medveil_dicom_module()
{
    return &medveil::kModule;
}
