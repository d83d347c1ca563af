// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <filesystem>

namespace medveil {

/// Where MedVeil finds its private files: relative to the running executable, so an installed tree (the
/// DEB, or `cmake --install` into any prefix, moved anywhere) and the build tree work alike, and nothing of
/// the build machine's paths is compiled in. The build tree mirrors the installed layout (bin/,
/// <plugin dir>/, share/medveil/ linking to resources/).
///   <exe>/../lib/<multiarch>/medveil   plugins (libmedveil_hinet.so, libmedveil_dicom.so,
///                                      libmedveil_codecs.so)
///   <exe>/../share/medveil             models/, samples/
/// An environment variable named by the caller (MEDVEIL_HINET_PLUGIN, MEDVEIL_HINET_WEIGHTS …) wins, so
/// tests can point at other files.
std::filesystem::path executableDirectory();
std::filesystem::path pluginDirectory();
std::filesystem::path dataDirectory();

/// `envVariable`'s value when it is set and not empty, else `fallback`.
std::filesystem::path pathFromEnvironment(const char* envVariable, const std::filesystem::path& fallback);

} // namespace medveil
