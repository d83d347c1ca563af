// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/InstallLayout.h"

#include <cstdlib>

namespace medveil {

namespace fs = std::filesystem;

fs::path executableDirectory()
{
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    return ec ? fs::current_path(ec) : exe.parent_path();
}

fs::path pluginDirectory()
{
    return (executableDirectory() / ".." / MEDVEIL_PLUGIN_DIR).lexically_normal();
}

fs::path dataDirectory()
{
    return (executableDirectory() / "../share/medveil").lexically_normal();
}

fs::path pathFromEnvironment(const char* envVariable, const fs::path& fallback)
{
    const char* value = std::getenv(envVariable);
    return value && *value ? fs::path(value) : fallback;
}

} // namespace medveil
