// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/Bytes.h"
#include "core/Result.h"

#include <memory>

namespace medveil {

/// SipHash-2-4 (Aumasson & Bernstein: a keyed pseudo-random function for short messages, 64-bit tags) of many
/// messages under one 16-byte key: OpenSSL's EVP_MAC "SIPHASH", keyed once and re-initialised per message —
/// no context or key schedule per message. Without the key nobody can compute a tag, unlike an unkeyed hash.
/// Not shared between threads.
class SipHashContext
{
public:
    static constexpr size_t kKeySize = 16, kTagSize = 8;
    /// BadInput for a key that is not 16 bytes; Internal when OpenSSL offers no SipHash.
    static Result<SipHashContext> create(const Bytes& key);
    SipHashContext(SipHashContext&& other) noexcept;
    SipHashContext& operator=(SipHashContext&& other) noexcept;
    SipHashContext(const SipHashContext&) = delete;
    SipHashContext& operator=(const SipHashContext&) = delete;
    ~SipHashContext();
    /// Writes the kTagSize-byte tag of `data` to `out`; false when OpenSSL fails (not with a working one).
    [[nodiscard]] bool tag(const uint8_t* data, size_t size, uint8_t* out);

private:
    struct State;
    explicit SipHashContext(std::unique_ptr<State> state);
    std::unique_ptr<State> m_state;
};

} // namespace medveil
