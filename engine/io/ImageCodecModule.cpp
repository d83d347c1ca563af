// SPDX-License-Identifier: GPL-3.0-or-later
#include "io/ImageCodecModule.h"

#include "core/InstallLayout.h"

#include <dlfcn.h>

#include <mutex>

namespace medveil {

namespace {

using DecodeFunction = int (*)(const uint8_t*, size_t, cv::Mat*, char*, size_t);

#ifdef MEDVEIL_CODECS_LINKED
// The fuzz build links the codecs in (one instrumented binary, no plugin).
Result<DecodeFunction> codecModule()
{
    return &medveil_codecs_decode;
}
#else
Result<DecodeFunction> codecModule()
{
    static std::mutex mutex;
    static DecodeFunction decode = nullptr;
    const std::lock_guard lock(mutex);
    if (decode)
        return decode;
    const std::filesystem::path path =
        pathFromEnvironment("MEDVEIL_CODECS_PLUGIN", pluginDirectory() / "libmedveil_codecs.so");
    // Never unloaded: OpenCV registers process-wide state.
    void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle)
        return makeError(ErrorKind::Internal,
                         "cannot load the image codec plugin '" + path.string() + "': " + ::dlerror());
    decode = reinterpret_cast<DecodeFunction>(::dlsym(handle, "medveil_codecs_decode"));
    if (!decode)
        return makeError(ErrorKind::Internal,
                         "the image codec plugin '" + path.string() + "' has no decoder");
    return decode;
}
#endif

} // namespace

Result<cv::Mat> decodeWithCodecModule(const Bytes& data, const std::string& name)
{
    MEDVEIL_ASSIGN_OR_RETURN(DecodeFunction decode, codecModule());
    cv::Mat mat;
    char error[512] = {};
    if (decode(data.data(), data.size(), &mat, error, sizeof error) != 0)
        return makeError(ErrorKind::BadInput, "'" + name + "' cannot be decoded: " + error);
    return mat;
}

} // namespace medveil
