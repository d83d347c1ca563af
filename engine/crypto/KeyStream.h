// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/Bytes.h"
#include "core/Result.h"

namespace medveil {

/// Deterministic pseudo-random bytes: AES-256-CTR keystream under a 32-byte key, starting at counter 0.
/// Used to derive per-block parameters (Arnold iteration counts, padding digits) from a secret key.
Result<Bytes> aesCtrKeystream(const Bytes& key, size_t length);

} // namespace medveil
