// SPDX-License-Identifier: GPL-3.0-or-later
#include "crypto/SipHash.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <memory>
#include <utility>

namespace medveil {

struct SipHashContext::State
{
    EVP_MAC* mac = nullptr;
    EVP_MAC_CTX* ctx = nullptr;
    ~State()
    {
        EVP_MAC_CTX_free(ctx);
        EVP_MAC_free(mac);
    }
};

Result<SipHashContext> SipHashContext::create(const Bytes& key)
{
    if (key.size() != kKeySize)
        return makeError(ErrorKind::BadInput, "a SipHash key has 16 bytes");
    auto state = std::make_unique<State>();
    state->mac = EVP_MAC_fetch(nullptr, "SIPHASH", nullptr);
    state->ctx = state->mac ? EVP_MAC_CTX_new(state->mac) : nullptr;
    size_t tagSize = kTagSize;
    const OSSL_PARAM params[] = {OSSL_PARAM_construct_size_t(OSSL_MAC_PARAM_SIZE, &tagSize),
                                 OSSL_PARAM_construct_end()};
    if (!state->ctx || EVP_MAC_init(state->ctx, key.data(), key.size(), params) != 1)
        return makeError(ErrorKind::Internal, "OpenSSL offers no SipHash");
    return SipHashContext(std::move(state));
}

SipHashContext::SipHashContext(std::unique_ptr<State> state) : m_state(std::move(state)) {}
SipHashContext::SipHashContext(SipHashContext&& other) noexcept = default;
SipHashContext& SipHashContext::operator=(SipHashContext&& other) noexcept = default;
SipHashContext::~SipHashContext() = default;

bool SipHashContext::tag(const uint8_t* data, size_t size, uint8_t* out)
{
    size_t length = 0;
    // A null key re-initialises with the key given to create().
    return m_state && EVP_MAC_init(m_state->ctx, nullptr, 0, nullptr) == 1 &&
           EVP_MAC_update(m_state->ctx, data, size) == 1 &&
           EVP_MAC_final(m_state->ctx, out, &length, kTagSize) == 1 && length == kTagSize;
}

} // namespace medveil
