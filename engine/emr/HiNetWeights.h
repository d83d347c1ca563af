// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/Bytes.h"
#include "core/Result.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace medveil {

/// One tensor of a HiNet weights file, as stored: row-major, little-endian.
struct HiNetTensor
{
    enum class Type
    {
        Float32,
        Float64,
        Int64,
    };
    Type type = Type::Float32;
    std::vector<int64_t> sizes;
    Bytes data; ///< the elements, contiguous (element count × 4 or 8 bytes)
};

/// The tensors of a weights file by dotted name ("config", "clamp", "model.block0.phi.conv1.weight").
using HiNetTensors = std::map<std::string, HiNetTensor>;

/// Reads the tensors of a weights file that train_hinet --export wrote (torch::serialize::OutputArchive: a
/// TorchScript archive, i.e. a zip of data.pkl, one stored file per tensor, and the module's code) without
/// LibTorch. LibTorch's own reader compiles the archive's code, one class per submodule, which took
/// ≈ 50 ms of every emr-seal and emr-open; the tensors are all the plugin needs. Only what such files hold is
/// understood (stored zip entries, the pickle opcodes and globals torch writes for modules and tensors);
/// anything else is BadInput, and HiNetModel then lets LibTorch read the file.
Result<HiNetTensors> readHiNetWeights(const Bytes& file);

} // namespace medveil
