// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace medveil {

/// What went wrong, in the categories the CLI turns into exit codes (see CLI.md).
enum class ErrorKind
{
    Usage = 1,     ///< caller error: bad option or argument
    BadInput = 2,  ///< unreadable/unsupported file, invalid UTF-8, wrong size
    Auth = 3,      ///< wrong key or passphrase, or data modified after protection
    Capacity = 4,  ///< payload does not fit
    Internal = 5,  ///< bug or environment failure
    Cancelled = 6, ///< the caller's CancelToken fired
};

/// A value-type error: a kind for programs and a message for people.
struct Error
{
    ErrorKind kind = ErrorKind::Internal;
    std::string message;

    /// The CLI exit code for this error (CLI.md); cancellation maps to 130 like SIGINT.
    [[nodiscard]] int exitCode() const { return kind == ErrorKind::Cancelled ? 130 : static_cast<int>(kind); }
};

inline Error makeError(ErrorKind kind, std::string message)
{
    return Error{kind, std::move(message)};
}

/// Either a T or an Error. Engine functions return this; exceptions never cross engine headers.
template <typename T> class [[nodiscard]] Result
{
public:
    Result(T value) : m_data(std::move(value)) {}
    Result(Error error) : m_data(std::move(error)) {}

    [[nodiscard]] bool ok() const { return m_data.index() == 0; }
    explicit operator bool() const { return ok(); }

    T& value() & { return std::get<0>(m_data); }
    const T& value() const& { return std::get<0>(m_data); }
    T&& value() && { return std::get<0>(std::move(m_data)); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }

    const Error& error() const { return std::get<1>(m_data); }

private:
    std::variant<T, Error> m_data;
};

/// Result of an operation that yields nothing but may fail.
template <> class [[nodiscard]] Result<void>
{
public:
    Result() = default;
    Result(Error error) : m_error(std::move(error)), m_failed(true) {}

    [[nodiscard]] bool ok() const { return !m_failed; }
    explicit operator bool() const { return ok(); }
    const Error& error() const { return m_error; }

private:
    Error m_error;
    bool m_failed = false;
};

using Status = Result<void>;

} // namespace medveil

/// Propagate an error from a Result-returning expression.
#define MEDVEIL_TRY(expr)                                                                                    \
    do {                                                                                                     \
        auto&& medveilTryResult_ = (expr);                                                                   \
        if (!medveilTryResult_.ok())                                                                         \
            return medveilTryResult_.error();                                                                \
    } while (false)
