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

namespace detail {
/// Reports a read of a failed Result's value (`error` set) or a successful Result's error (null) on stderr
/// and aborts: a programming error, never an exception.
[[noreturn]] void failedResultAccess(const Error* error) noexcept;
} // namespace detail

/// Either a T or an Error. Engine functions return this; exceptions never cross engine headers.
template <typename T> class [[nodiscard]] Result
{
public:
    Result(T value) : m_data(std::move(value)) {}
    Result(Error error) : m_data(std::move(error)) {}

    [[nodiscard]] bool ok() const { return m_data.index() == 0; }
    explicit operator bool() const { return ok(); }

    /// The value. Reading the value of a failed Result is a bug: it never throws (exceptions must not
    /// cross the engine's headers) but stops the program with the error's message (failedResultAccess).
    /// Check ok() first, or use valueOr() / MEDVEIL_ASSIGN_OR_RETURN.
    T& value() & { return *checked(std::get_if<0>(&m_data)); }
    const T& value() const& { return *checked(std::get_if<0>(&m_data)); }
    T&& value() && { return std::move(*checked(std::get_if<0>(&m_data))); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    /// The value, or `fallback` when this Result failed.
    [[nodiscard]] T valueOr(T fallback) const&
    {
        const T* v = std::get_if<0>(&m_data);
        return v ? *v : std::move(fallback);
    }

    /// The error; asking a successful Result for one is a bug, handled like value() of a failed one.
    const Error& error() const
    {
        const Error* e = std::get_if<1>(&m_data);
        if (!e)
            detail::failedResultAccess(nullptr);
        return *e;
    }

private:
    template <typename P> P* checked(P* value) const
    {
        if (!value)
            detail::failedResultAccess(std::get_if<1>(&m_data));
        return value;
    }

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

/// Whether `result` succeeded, its value dropped.
template <typename T> Status statusOf(const Result<T>& result)
{
    return result ? Status() : Status(result.error());
}

} // namespace medveil

/// Propagate an error from a Result-returning expression.
#define MEDVEIL_TRY(expr)                                                                                    \
    do {                                                                                                     \
        auto&& medveilTryResult_ = (expr);                                                                   \
        if (!medveilTryResult_.ok())                                                                         \
            return medveilTryResult_.error();                                                                \
    } while (false)

#define MEDVEIL_CONCAT_INNER_(a, b) a##b
#define MEDVEIL_CONCAT_(a, b) MEDVEIL_CONCAT_INNER_(a, b)
#define MEDVEIL_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr)                                                       \
    auto tmp = (expr);                                                                                       \
    if (!tmp.ok())                                                                                           \
        return tmp.error();                                                                                  \
    lhs = std::move(tmp).value()

/// `lhs = value of expr`, or return its error: MEDVEIL_ASSIGN_OR_RETURN(const Image stego, network.hide(…));
#define MEDVEIL_ASSIGN_OR_RETURN(lhs, expr)                                                                  \
    MEDVEIL_ASSIGN_OR_RETURN_IMPL_(MEDVEIL_CONCAT_(medveilAssignResult_, __LINE__), lhs, expr)
