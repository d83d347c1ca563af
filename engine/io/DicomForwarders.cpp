// SPDX-License-Identifier: GPL-3.0-or-later
// The programs' side of the DICOM plugin (io/DicomModule.h): the engine's DCMTK-backed functions, each a
// call into libmedveil_dicom.so's table, which is loaded on the first of them. A DicomFile or DicomNode
// exists only once the plugin made it, so their members find it loaded.
#include "io/DicomModule.h"

#include "core/InstallLayout.h"

#include <dlfcn.h>

#include <cstdio>
#include <cstdlib>
#include <mutex>

namespace medveil {

namespace {

Result<const DicomModule*> dicomModule()
{
    static std::mutex mutex;
    static const DicomModule* module = nullptr;
    const std::lock_guard lock(mutex);
    if (module)
        return module;
    const std::filesystem::path path =
        pathFromEnvironment("MEDVEIL_DICOM_PLUGIN", pluginDirectory() / "libmedveil_dicom.so");
    // Never unloaded: DCMTK registers process-wide state (its dictionary, codecs, loggers), and DicomFile
    // datasets made by the plugin are freed by its code.
    void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle)
        return makeError(ErrorKind::Internal,
                         "cannot load the DICOM plugin '" + path.string() + "': " + ::dlerror());
    using Entry = const DicomModule* (*)();
    const auto entry = reinterpret_cast<Entry>(::dlsym(handle, "medveil_dicom_module"));
    const DicomModule* table = entry ? entry() : nullptr;
    if (!table || table->abi != kDicomModuleAbi || table->size != sizeof(DicomModule))
        return makeError(ErrorKind::Internal,
                         "the DICOM plugin '" + path.string() + "' is not from this build of MedVeil");
    module = table;
    return module;
}

/// For the members of a DicomNode: only the plugin makes one, so its table is loaded.
const DicomModule& loadedDicomModule()
{
    auto module = dicomModule();
    if (!module) {
        std::fprintf(stderr, "medveil: a DICOM node without the DICOM plugin: %s\n",
                     module.error().message.c_str());
        std::abort();
    }
    return **module;
}

} // namespace

Result<DicomFile> DicomFile::read(const std::filesystem::path& path)
{
    MEDVEIL_ASSIGN_OR_RETURN(const DicomModule* m, dicomModule());
    return m->read(path);
}

Result<DicomFile> DicomFile::fromBytes(const Bytes& data, const std::string& name)
{
    MEDVEIL_ASSIGN_OR_RETURN(const DicomModule* m, dicomModule());
    return m->fromBytes(data, name);
}

std::string DicomFile::attribute(uint16_t group, uint16_t element) const
{
    auto m = dicomModule();
    return m ? (*m)->attribute(*this, group, element) : std::string();
}

Result<Bytes> DicomFile::encode(const Image& pixels, const std::map<std::string, std::string>& metadata,
                                Instance instance) const
{
    MEDVEIL_ASSIGN_OR_RETURN(const DicomModule* m, dicomModule());
    return m->encode(*this, pixels, metadata, instance);
}

Result<Bytes> DicomFile::protectionDigest() const
{
    MEDVEIL_ASSIGN_OR_RETURN(const DicomModule* m, dicomModule());
    return m->protectionDigest(*this);
}

Result<Bytes> DicomFile::legacyProtectionDigest() const
{
    MEDVEIL_ASSIGN_OR_RETURN(const DicomModule* m, dicomModule());
    return m->legacyProtectionDigest(*this);
}

Result<Bytes> DicomFile::headerDigest() const
{
    MEDVEIL_ASSIGN_OR_RETURN(const DicomModule* m, dicomModule());
    return m->headerDigest(*this);
}

Result<DicomIdentity> DicomFile::identity() const
{
    MEDVEIL_ASSIGN_OR_RETURN(const DicomModule* m, dicomModule());
    return m->identity(*this);
}

std::vector<DicomAttribute> DicomFile::attributes() const
{
    auto m = dicomModule();
    return m ? (*m)->attributes(*this) : std::vector<DicomAttribute>();
}

Result<DicomFile> DicomFile::deidentified() const
{
    MEDVEIL_ASSIGN_OR_RETURN(const DicomModule* m, dicomModule());
    return m->deidentified(*this);
}

Result<Bytes> DicomFile::encodeSealed(const Image& pixels8,
                                      const std::map<std::string, std::string>& metadata,
                                      const DicomIdentity& identity) const
{
    MEDVEIL_ASSIGN_OR_RETURN(const DicomModule* m, dicomModule());
    return m->encodeSealed(*this, pixels8, metadata, identity);
}

Result<Bytes> DicomFile::encodeRestored(const Image& pixels, const std::string& identity, bool lossy) const
{
    MEDVEIL_ASSIGN_OR_RETURN(const DicomModule* m, dicomModule());
    return m->encodeRestored(*this, pixels, identity, lossy);
}

Result<DicomFile> DicomFile::restored(const Image& pixels, const std::string& identity, bool lossy) const
{
    MEDVEIL_ASSIGN_OR_RETURN(const DicomModule* m, dicomModule());
    return m->restored(*this, pixels, identity, lossy);
}

std::string DicomFile::restoredIdentity(const DicomFile& restored) const
{
    auto m = dicomModule();
    return m ? (*m)->restoredIdentity(*this, restored) : std::string();
}

Result<DicomFolderScan> scanDicomFolder(const std::filesystem::path& folder, const JobControl& control,
                                        size_t maxFiles)
{
    MEDVEIL_ASSIGN_OR_RETURN(const DicomModule* m, dicomModule());
    return m->scanDicomFolder(folder, control, maxFiles);
}

namespace net {

Status checkAssociation(const Association& association)
{
    MEDVEIL_ASSIGN_OR_RETURN(const DicomModule* m, dicomModule());
    return m->checkAssociation(association);
}

Result<std::string> transferSyntaxUid(const std::string& nameOrUid)
{
    MEDVEIL_ASSIGN_OR_RETURN(const DicomModule* m, dicomModule());
    return m->transferSyntaxUid(nameOrUid);
}

Result<EchoResult> echo(const Association& association, const JobControl& control)
{
    MEDVEIL_ASSIGN_OR_RETURN(const DicomModule* m, dicomModule());
    return m->echo(association, control);
}

Result<std::vector<StudyRecord>> findStudies(const Association& association, const StudyQuery& query,
                                             const JobControl& control)
{
    MEDVEIL_ASSIGN_OR_RETURN(const DicomModule* m, dicomModule());
    return m->findStudies(association, query, control);
}

Result<std::vector<SeriesRecord>> findSeries(const Association& association,
                                             const std::string& studyInstanceUid, const JobControl& control)
{
    MEDVEIL_ASSIGN_OR_RETURN(const DicomModule* m, dicomModule());
    return m->findSeries(association, studyInstanceUid, control);
}

Result<RetrieveResult> retrieve(const Association& association, const RetrieveRequest& request,
                                const JobControl& control)
{
    MEDVEIL_ASSIGN_OR_RETURN(const DicomModule* m, dicomModule());
    return m->retrieve(association, request, control);
}

Result<std::vector<std::filesystem::path>> collectDicomFiles(const std::vector<std::filesystem::path>& paths)
{
    MEDVEIL_ASSIGN_OR_RETURN(const DicomModule* m, dicomModule());
    return m->collectDicomFiles(paths);
}

Result<SendResult> send(const Association& association, const std::vector<std::filesystem::path>& files,
                        const JobControl& control)
{
    MEDVEIL_ASSIGN_OR_RETURN(const DicomModule* m, dicomModule());
    return m->send(association, files, control);
}

Status storeFile(const std::filesystem::path& file, const ForwardDestination& destination)
{
    MEDVEIL_ASSIGN_OR_RETURN(const DicomModule* m, dicomModule());
    return m->storeFile(file, destination);
}

Result<std::unique_ptr<DicomNode>> DicomNode::start(NodeSettings settings, InstanceProcessor processor,
                                                    NodeEventListener listener)
{
    MEDVEIL_ASSIGN_OR_RETURN(const DicomModule* m, dicomModule());
    return m->startNode(std::move(settings), std::move(processor), std::move(listener));
}

DicomNode::~DicomNode()
{
    requestStop();
    wait();
}

uint16_t DicomNode::port() const
{
    return loadedDicomModule().nodePort(*this);
}

void DicomNode::requestStop()
{
    loadedDicomModule().requestNodeStop(*this);
}

void DicomNode::wait()
{
    loadedDicomModule().waitForNode(*this);
}

size_t DicomNode::queued() const
{
    return loadedDicomModule().nodeQueued(*this);
}

void DicomNode::ImplDeleter::operator()(Impl* impl) const
{
    loadedDicomModule().deleteNodeImpl(impl);
}

} // namespace net

} // namespace medveil
