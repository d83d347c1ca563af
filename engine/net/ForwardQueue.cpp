// SPDX-License-Identifier: GPL-3.0-or-later
#include "net/ForwardQueue.h"

#include "io/AtomicFile.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>
#include <vector>

#include <sys/stat.h>

namespace fs = std::filesystem;

namespace medveil::net {

namespace {

bool validAeTitle(const std::string& ae)
{
    return !ae.empty() && ae.size() <= 16 &&
           std::all_of(ae.begin(), ae.end(), [](char c) { return c >= 0x20 && c < 0x7f && c != '\\'; }) &&
           ae.find_first_not_of(' ') != std::string::npos;
}

/// Characters of a label that may go into an entry's file name (UIDs and plain names pass unchanged).
std::string fileNameSafe(const std::string& label)
{
    std::string safe;
    for (char c : label.substr(0, 96))
        safe += (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_') ? c : '_';
    return safe;
}

/// Queue entries in arrival order (hidden names are temporaries of atomic writes, never entries).
std::vector<fs::path> listEntries(const fs::path& folder)
{
    std::vector<fs::path> entries;
    std::error_code ec;
    for (const auto& item : fs::directory_iterator(folder, ec)) {
        const std::string name = item.path().filename().string();
        if (!name.empty() && name[0] != '.' && item.path().extension() == ".dcm" && item.is_regular_file(ec))
            entries.push_back(item.path());
    }
    std::sort(entries.begin(), entries.end());
    return entries;
}

} // namespace

Result<ForwardDestination> parseForwardDestination(const std::string& hostPortAe)
{
    const auto first = hostPortAe.find(':');
    const auto second = first == std::string::npos ? first : hostPortAe.find(':', first + 1);
    if (second == std::string::npos)
        return makeError(ErrorKind::Usage, "--forward needs HOST:PORT:AE, got '" + hostPortAe + "'");
    ForwardDestination destination;
    destination.host = hostPortAe.substr(0, first);
    const std::string port = hostPortAe.substr(first + 1, second - first - 1);
    destination.calledAe = hostPortAe.substr(second + 1);
    unsigned long number = 0;
    size_t used = 0;
    try {
        number = std::stoul(port, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (destination.host.empty() || used == 0 || used != port.size() || number < 1 || number > 65535)
        return makeError(ErrorKind::Usage,
                         "--forward needs HOST:PORT:AE with a port 1-65535, got '" + hostPortAe + "'");
    if (!validAeTitle(destination.calledAe))
        return makeError(ErrorKind::Usage, "--forward: the AE title must be 1-16 printable characters");
    destination.port = static_cast<uint16_t>(number);
    return destination;
}

ForwardQueue::ForwardQueue(fs::path folder, ForwardDestination destination, RetryPolicy retry,
                           DeliveryListener listener)
    : m_folder(std::move(folder)), m_destination(std::move(destination)), m_retry(retry),
      m_listener(std::move(listener))
{}

Result<std::unique_ptr<ForwardQueue>> ForwardQueue::open(const fs::path& folder,
                                                         ForwardDestination destination, RetryPolicy retry,
                                                         DeliveryListener listener)
{
    std::error_code ec;
    // Queued files hold patient data: a folder made here is the owner's only (every entry is 0600).
    if (fs::create_directories(folder, ec))
        ::chmod(folder.c_str(), 0700);
    if (ec || !fs::is_directory(folder, ec))
        return makeError(ErrorKind::BadInput, "cannot use the queue folder '" + folder.string() + "'");
    return std::unique_ptr<ForwardQueue>(
        new ForwardQueue(folder, std::move(destination), retry, std::move(listener)));
}

ForwardQueue::~ForwardQueue()
{
    stop();
}

Result<fs::path> ForwardQueue::add(const fs::path& file, const std::string& label)
{
    auto bytes = readFileBytes(file);
    if (!bytes)
        return bytes.error();
    uint64_t sequence = 0;
    {
        const std::lock_guard lock(m_mutex);
        sequence = ++m_sequence;
    }
    // Wall-clock nanoseconds first, so that name order is arrival order across restarts too.
    const auto now = std::chrono::duration_cast<std::chrono::nanoseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    char prefix[48];
    std::snprintf(prefix, sizeof prefix, "%020lld-%06llu-", static_cast<long long>(now),
                  static_cast<unsigned long long>(sequence % 1000000));
    const fs::path entry = m_folder / (prefix + fileNameSafe(label) + ".dcm");
    // Claimed before it exists: the background thread lists the folder at any moment and must leave the
    // entry to deliverNow().
    {
        const std::lock_guard lock(m_mutex);
        m_claimed.insert(entry.filename().string());
    }
    if (Status written = writeFileAtomically(entry, *bytes, {file}, FileMode::Private); !written) {
        const std::lock_guard lock(m_mutex);
        m_claimed.erase(entry.filename().string());
        return written.error();
    }
    return entry;
}

Status ForwardQueue::sendClaimed(const fs::path& entry)
{
    Status status = storeFile(entry, m_destination);
    std::error_code ec;
    if (status)
        fs::remove(entry, ec);
    const std::lock_guard lock(m_mutex);
    m_claimed.erase(entry.filename().string());
    if (status) {
        m_delay = std::chrono::milliseconds(0);
        m_nextTry = {};
    } else {
        m_delay = m_delay.count() == 0 ? m_retry.first : std::min(m_delay * 2, m_retry.longest);
        m_nextTry = std::chrono::steady_clock::now() + m_delay;
    }
    m_wake.notify_all();
    return status;
}

ForwardQueue::Attempt ForwardQueue::deliverNow(const fs::path& entry)
{
    {
        const std::lock_guard lock(m_mutex);
        if (m_delay.count() != 0 && std::chrono::steady_clock::now() < m_nextTry) {
            // The destination failed moments ago: the background thread retries when the back-off ends.
            m_claimed.erase(entry.filename().string());
            return {Outcome::Queued, "destination unreachable, retrying"};
        }
    }
    const Status status = sendClaimed(entry);
    if (status)
        return {Outcome::Sent, {}};
    m_wake.notify_all();
    return {Outcome::Queued, status.error().message};
}

void ForwardQueue::start()
{
    const std::lock_guard lock(m_mutex);
    if (m_thread.joinable())
        return;
    m_stopping = false;
    m_thread = std::thread([this] { run(); });
}

void ForwardQueue::stop()
{
    {
        const std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable())
        m_thread.join();
}

size_t ForwardQueue::pending() const
{
    return listEntries(m_folder).size();
}

void ForwardQueue::run()
{
    std::map<std::string, int> attempts;
    for (;;) {
        {
            std::unique_lock lock(m_mutex);
            // Asleep until the back-off ends; a fresh entry (deliverNow's failure) or stop() wakes it.
            const auto wait = m_delay.count() == 0 ? std::chrono::milliseconds(1000) : m_delay;
            m_wake.wait_until(
                lock, m_delay.count() == 0 ? std::chrono::steady_clock::now() + wait : m_nextTry, [this] {
                    return m_stopping ||
                           (m_delay.count() != 0 && std::chrono::steady_clock::now() >= m_nextTry);
                });
            if (m_stopping)
                return;
        }
        for (const fs::path& entry : listEntries(m_folder)) {
            const std::string name = entry.filename().string();
            {
                const std::lock_guard lock(m_mutex);
                if (m_stopping)
                    return;
                if (m_delay.count() != 0 && std::chrono::steady_clock::now() < m_nextTry)
                    break; // a send on another thread just failed: wait for the back-off
                if (!m_claimed.insert(name).second)
                    continue;
            }
            // A file being written is never listed (atomic writes): a listed entry is complete.
            const Status status = sendClaimed(entry);
            const int tries = ++attempts[name];
            if (m_listener)
                m_listener({name, status, tries});
            if (!status)
                break;
            attempts.erase(name);
        }
    }
}

} // namespace medveil::net
