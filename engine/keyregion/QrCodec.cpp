// SPDX-License-Identifier: GPL-3.0-or-later
#define ZX_USE_UTF8 1
#include "keyregion/QrCodec.h"

#include "core/DisplayText.h"

#include <ZXing/ReadBarcode.h>
#include <opencv2/core.hpp>
#include <qrencode.h>

#include <atomic>
#include <cctype>
#include <cerrno>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <sys/wait.h>
#include <tuple>
#include <unistd.h>

namespace medveil {

namespace {

/// True when the three finder patterns (7×7: dark ring, light ring, dark 3×3 core, light separator) and
/// the two timing patterns of an n×n module grid are where ISO/IEC 18004 puts them. A crafted grid without
/// them is refused before ZXing sees it: Debian's ZXing 1.4 asserts (abort) in its pure-mode detector on such
/// grids (QRDetector.cpp:174), which would take the whole process down.
bool hasQrStructure(const std::vector<uint8_t>& dark, int n)
{
    auto at = [&](int x, int y) { return dark[size_t(y) * size_t(n) + size_t(x)] != 0; };
    auto finderOk = [&](int ox, int oy) {
        for (int y = 0; y < 7; ++y)
            for (int x = 0; x < 7; ++x) {
                const int ring = std::max(std::abs(x - 3), std::abs(y - 3));
                if (at(ox + x, oy + y) != (ring != 2))
                    return false;
            }
        return true;
    };
    if (!finderOk(0, 0) || !finderOk(n - 7, 0) || !finderOk(0, n - 7))
        return false;
    for (int i = 0; i < 8; ++i) // separators
        if (at(7, i) || at(i, 7) || at(n - 8, i) || at(n - 1 - i, 7) || at(7, n - 1 - i) || at(i, n - 8))
            return false;
    for (int i = 8; i < n - 8; ++i) // timing patterns alternate, dark on even positions
        if (at(i, 6) != (i % 2 == 0) || at(6, i) != (i % 2 == 0))
            return false;
    return true;
}

/// BCH(15,5) format information of ISO/IEC 18004 (ECC level and mask in 5 bits), masked with 0x5412.
int formatBits(int data)
{
    int rem = data;
    for (int i = 0; i < 10; ++i)
        rem = (rem << 1) ^ ((rem >> 9) * 0x537);
    return ((data << 10) | rem) ^ 0x5412;
}

/// BCH(18,6) version information (versions 7 and up).
int versionBits(int version)
{
    int rem = version;
    for (int i = 0; i < 12; ++i)
        rem = (rem << 1) ^ ((rem >> 11) * 0x1F25);
    return (version << 12) | rem;
}

/// Centres of the alignment patterns of `version` (ISO/IEC 18004 Annex E; the same for x and y).
std::vector<int> alignmentCentres(int version)
{
    if (version < 2)
        return {};
    const int count = version / 7 + 2;
    const int step = version == 32 ? 26 : (version * 4 + count * 2 + 1) / (count * 2 - 2) * 2;
    std::vector<int> centres(size_t(count), 6);
    for (int i = count - 1, pos = version * 4 + 10; i >= 1; --i, pos -= step)
        centres[size_t(i)] = pos;
    return centres;
}

/// True when, beyond hasQrStructure(), every function pattern a symbol writer must draw is exact: both copies
/// of the format information are one and the same valid BCH code word, the dark module is set, every
/// alignment pattern is in place and (version 7 and up) both copies of the version information name this
/// size. Such a grid — what MedVeil's own writer produces — is decoded in process; anything else goes to the
/// forked reader.
bool hasExactFunctionPatterns(const std::vector<uint8_t>& dark, int n)
{
    auto at = [&](int x, int y) { return int(dark[size_t(y) * size_t(n) + size_t(x)] != 0); };
    int first = 0, second = 0;
    for (int i = 0; i <= 5; ++i)
        first |= at(8, i) << i;
    first |= at(8, 7) << 6 | at(8, 8) << 7 | at(7, 8) << 8;
    for (int i = 9; i < 15; ++i)
        first |= at(14 - i, 8) << i;
    for (int i = 0; i < 8; ++i)
        second |= at(n - 1 - i, 8) << i;
    for (int i = 8; i < 15; ++i)
        second |= at(8, n - 15 + i) << i;
    bool validFormat = false;
    for (int data = 0; data < 32; ++data)
        validFormat = validFormat || formatBits(data) == first;
    if (!validFormat || first != second || !at(8, n - 8))
        return false;
    const int version = (n - 17) / 4;
    const std::vector<int> centres = alignmentCentres(version);
    for (int cy : centres)
        for (int cx : centres) {
            if ((cx == 6 && cy == 6) || (cx == 6 && cy == n - 7) || (cx == n - 7 && cy == 6))
                continue; // under a finder pattern
            for (int dy = -2; dy <= 2; ++dy)
                for (int dx = -2; dx <= 2; ++dx)
                    if (at(cx + dx, cy + dy) != int(std::max(std::abs(dx), std::abs(dy)) != 1))
                        return false;
        }
    if (version >= 7) {
        const int bits = versionBits(version);
        for (int i = 0; i < 18; ++i) {
            const int bit = (bits >> i) & 1, a = n - 11 + i % 3, b = i / 3;
            if (at(a, b) != bit || at(b, a) != bit)
                return false;
        }
    }
    return true;
}

/// ZXing's decode in a forked child: whatever ZXing does with a hostile symbol (an assertion, a crash),
/// only the child dies, and the caller gets std::nullopt ("unreadable"). The text comes back through a pipe.
std::atomic<uint64_t> g_isolatedDecodes{0};

std::optional<std::string> decodeIsolated(const uint8_t* pixels, int width, int height,
                                          const ZXing::DecodeHints& hints)
{
    g_isolatedDecodes.fetch_add(1, std::memory_order_relaxed);
    int fds[2];
    if (::pipe(fds) != 0)
        return std::nullopt;
    const pid_t pid = ::fork();
    if (pid < 0) {
        ::close(fds[0]);
        ::close(fds[1]);
        return std::nullopt;
    }
    if (pid == 0) {
        ::close(fds[0]);
        const auto result = ZXing::ReadBarcode({pixels, width, height, ZXing::ImageFormat::Lum}, hints);
        int status = 1;
        if (result.isValid()) {
            const std::string text = result.text();
            size_t written = 0;
            while (written < text.size()) {
                const ssize_t n = ::write(fds[1], text.data() + written, text.size() - written);
                if (n <= 0)
                    break;
                written += size_t(n);
            }
            status = written == text.size() ? 0 : 1;
        }
        ::close(fds[1]);
        ::_exit(status);
    }
    ::close(fds[1]);
    std::string text;
    char buffer[4096];
    for (;;) {
        const ssize_t n = ::read(fds[0], buffer, sizeof buffer);
        if (n > 0)
            text.append(buffer, size_t(n));
        else if (n == 0 || errno != EINTR)
            break;
        if (text.size() > (1u << 16)) // a QR code holds < 3 KB
            break;
    }
    ::close(fds[0]);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return std::nullopt;
    return text;
}

constexpr const char* kKeyPrefix = "RSA:";

/// Why `text` cannot be a public info key or value (empty when it can): what protect writes must come back
/// from the QR code exactly, or the file cannot be recovered.
std::string infoTextProblem(std::string_view text, bool isKey)
{
    if (!isValidUtf8(text))
        return "is not valid UTF-8";
    for (size_t pos = 0; pos < text.size();) {
        const Utf8CodePoint cp = decodeUtf8At(text, pos);
        if (isControlCodePoint(cp.value))
            return "holds a control character (" + displaySafe(text.substr(pos, cp.length)) + ")";
        if (isKey && (cp.value == '=' || cp.value == ' '))
            return "holds '=' or a space";
        pos += cp.length;
    }
    return {};
}

struct QrCodeDeleter
{
    void operator()(QRcode* code) const { QRcode_free(code); }
};
struct QrInputDeleter
{
    void operator()(QRinput* input) const { QRinput_free(input); }
};

std::unique_ptr<QRcode, QrCodeDeleter> encodeAt(const QrContent& content, QRecLevel level)
{
    const auto [bytePart, alnumPart] = QrCodec::textSegments(content);
    std::unique_ptr<QRinput, QrInputDeleter> input(QRinput_new2(0, level));
    if (!input || QRinput_appendECIheader(input.get(), 26) != 0 ||
        QRinput_append(input.get(), QR_MODE_8, static_cast<int>(bytePart.size()),
                       reinterpret_cast<const unsigned char*>(bytePart.data())) != 0 ||
        QRinput_append(input.get(), QR_MODE_AN, static_cast<int>(alnumPart.size()),
                       reinterpret_cast<const unsigned char*>(alnumPart.data())) != 0)
        return nullptr;
    return std::unique_ptr<QRcode, QrCodeDeleter>(QRcode_encodeInput(input.get()));
}

/// Reads the dark modules of the grid at `g` into `dark` (row-major), false unless every pixel of the region
/// is 0 or the white level, the quiet zone is white and every module is one flat colour.
template <typename Pixel>
bool readModuleGrid(const cv::Mat& mat, const QrGeometry& g, std::vector<uint8_t>& dark)
{
    const int left = g.symbolLeft(), top = g.symbolTop();
    // Each column's module (-1 in the quiet zone) and whether the column starts one.
    std::vector<int> columnModule(size_t(g.region.width));
    std::vector<uint8_t> columnStarts(size_t(g.region.width));
    for (int i = 0; i < g.region.width; ++i) {
        const int dx = g.region.x + i - left;
        const int mx = dx >= 0 ? dx / g.moduleSize : -1;
        columnModule[size_t(i)] = mx < g.modules ? mx : -1;
        columnStarts[size_t(i)] = dx >= 0 && dx % g.moduleSize == 0;
    }
    for (int y = g.region.y; y < g.region.y + g.region.height; ++y) {
        const Pixel* row = mat.ptr<Pixel>(y) + g.region.x;
        const int dy = y - top;
        const int my = dy >= 0 ? dy / g.moduleSize : -1;
        const bool rowInSymbol = my >= 0 && my < g.modules;
        const bool rowStarts = dy >= 0 && dy % g.moduleSize == 0;
        for (int i = 0; i < g.region.width; ++i) {
            const int v = row[i];
            if (v != 0 && v != g.white)
                return false;
            const int mx = columnModule[size_t(i)];
            if (!rowInSymbol || mx < 0) {
                if (v != g.white)
                    return false;
                continue;
            }
            const size_t m = size_t(my) * g.modules + mx;
            const uint8_t isDark = v == 0;
            if (rowStarts && columnStarts[size_t(i)])
                dark[m] = isDark;
            else if (dark[m] != isDark)
                return false;
        }
    }
    return true;
}

/// The width in modules of the symbol encodeAt() makes (0: the content does not fit a QR code). The version
/// libqrencode picks depends only on the bit length of the segments — an 8-bit segment and an alphanumeric
/// one, each a fixed number of bits per character — so on their lengths, not on the bytes: one encoding per
/// length pair and level is remembered for the process. protect() asks for up to five widths (the automatic
/// region's size, the user's region's check, then H, Q, M, L until one fits) and encodes one symbol; each
/// encoding evaluates eight masks, a fifth of a protection's time before.
int symbolWidth(const QrContent& content, QRecLevel level)
{
    const auto [bytePart, alnumPart] = QrCodec::textSegments(content);
    const auto key = std::make_tuple(bytePart.size(), alnumPart.size(), int(level));
    static std::mutex mutex;
    static std::map<std::tuple<size_t, size_t, int>, int> widths;
    {
        const std::lock_guard lock(mutex);
        if (const auto it = widths.find(key); it != widths.end())
            return it->second;
    }
    const auto code = encodeAt(content, level);
    const int width = code ? code->width : 0;
    const std::lock_guard lock(mutex);
    if (widths.size() >= 4096) // distinct lengths of public information: bounded anyway, kept small
        widths.clear();
    widths.emplace(key, width);
    return width;
}

} // namespace

std::pair<std::string, std::string> QrCodec::textSegments(const QrContent& content)
{
    std::string bytePart = std::string(kMagic) + "\n";
    for (const auto& [key, value] : content.info)
        bytePart += key + "=" + value + "\n";
    return {bytePart, std::string(kKeyPrefix) + base45Encode(content.sealedKey)};
}

Result<QrContent> QrCodec::parse(const std::string& text)
{
    const std::string magic = std::string(kMagic) + "\n";
    if (text.compare(0, magic.size(), magic) != 0)
        return makeError(ErrorKind::BadInput, "the QR code is not a MedVeil protection code");
    QrContent content;
    size_t pos = magic.size();
    while (pos < text.size()) {
        if (text.compare(pos, 4, kKeyPrefix) == 0) {
            auto key = base45Decode(std::string_view(text).substr(pos + 4));
            if (!key || key->empty())
                return makeError(ErrorKind::BadInput, "the QR code's key part is malformed");
            content.sealedKey = std::move(*key);
            return content;
        }
        const size_t eol = text.find('\n', pos);
        if (eol == std::string::npos)
            return makeError(ErrorKind::BadInput, "the QR code's information block is truncated");
        const std::string line = text.substr(pos, eol - pos);
        const size_t eq = line.find('=');
        if (eq == std::string::npos || eq == 0)
            return makeError(ErrorKind::BadInput, "the QR code has a malformed information line");
        content.info.emplace_back(line.substr(0, eq), line.substr(eq + 1));
        pos = eol + 1;
    }
    return makeError(ErrorKind::BadInput, "the QR code holds no key part");
}

Status QrCodec::checkInfo(const std::vector<std::pair<std::string, std::string>>& info)
{
    if (info.size() > kMaxInfoPairs)
        return makeError(ErrorKind::BadInput, "at most " + std::to_string(kMaxInfoPairs) +
                                                  " public info pairs fit in the QR code, not " +
                                                  std::to_string(info.size()));
    for (const auto& [key, value] : info) {
        const std::string shownKey = std::string(1, '\'').append(displaySafe(key)).append(1, '\'');
        if (key.empty())
            return makeError(ErrorKind::BadInput, "a public info key is empty (the form is KEY=VALUE)");
        if (key.size() > kMaxInfoKeyBytes)
            return makeError(ErrorKind::BadInput, "the public info key " + shownKey + " is longer than " +
                                                      std::to_string(kMaxInfoKeyBytes) + " bytes");
        if (value.size() > kMaxInfoValueBytes)
            return makeError(ErrorKind::BadInput, "the value of public info " + shownKey +
                                                      " is longer than " +
                                                      std::to_string(kMaxInfoValueBytes) + " bytes");
        if (const std::string problem = infoTextProblem(key, true); !problem.empty())
            return makeError(ErrorKind::BadInput, "the public info key " + shownKey + " " + problem);
        if (const std::string problem = infoTextProblem(value, false); !problem.empty())
            return makeError(ErrorKind::BadInput, "the value of public info " + shownKey + " " + problem);
        // A line that starts with the key part's prefix ends the information block when the QR code is read;
        // the magic line is MedVeil's own.
        for (const std::string_view reserved : {std::string_view(kKeyPrefix), std::string_view("MEDVEIL")}) {
            std::string head = key.substr(0, reserved.size());
            for (char& c : head)
                c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
            if (head == reserved)
                return makeError(ErrorKind::BadInput, "the public info key " + shownKey + " starts with '" +
                                                          std::string(reserved) +
                                                          "', which MedVeil reserves");
        }
    }
    return {};
}

Result<std::pair<QrSymbol, int>> QrCodec::encode(const QrContent& content, int regionSide)
{
    MEDVEIL_TRY(checkInfo(content.info));
    std::unique_ptr<QRcode, QrCodeDeleter> fallback;
    for (int minModule : {2, 1}) {
        for (QRecLevel level : {QR_ECLEVEL_H, QR_ECLEVEL_Q, QR_ECLEVEL_M, QR_ECLEVEL_L}) {
            const int width = symbolWidth(content, level);
            if (width == 0 || regionSide / (width + 2 * kQuietZone) < minModule)
                continue;
            auto code = encodeAt(content, level); // the symbol itself: this content's bytes
            if (!code)
                continue;
            const int moduleSize = regionSide / (code->width + 2 * kQuietZone);
            if (moduleSize >= minModule) {
                QrSymbol symbol;
                symbol.modules = code->width;
                symbol.eccLevel = "LMQH"[level];
                symbol.dark.resize(size_t(code->width) * code->width);
                for (size_t i = 0; i < symbol.dark.size(); ++i)
                    symbol.dark[i] = code->data[i] & 1;
                return std::make_pair(symbol, moduleSize);
            }
        }
    }
    auto side = minimumRegionSide(content, false);
    if (!side)
        return side.error();
    return makeError(ErrorKind::BadInput, "the key region (" + std::to_string(regionSide) +
                                              " px) is smaller than the " + std::to_string(*side) +
                                              " px the QR code needs");
}

Result<int> QrCodec::minimumRegionSide(const QrContent& content, bool preferTwo)
{
    const int width = symbolWidth(content, QR_ECLEVEL_L);
    if (width == 0)
        return makeError(ErrorKind::BadInput, "the public information is too long for a QR code");
    return (width + 2 * kQuietZone) * (preferTwo ? 2 : 1);
}

int QrCodec::whiteLevel(const Image& image)
{
    if (image.bitDepth() == 8)
        return 255;
    double low = 0, high = 0;
    cv::minMaxLoc(image.mat(), &low, &high);
    return std::max(1, static_cast<int>(high));
}

QrGeometry QrCodec::render(const QrSymbol& symbol, int moduleSize, int white, Image& image,
                           const Rect& region)
{
    const QrGeometry geometry{region, moduleSize, symbol.modules, white};
    for (int y = region.y; y < region.y + region.height; ++y)
        for (int x = region.x; x < region.x + region.width; ++x)
            image.set(x, y, white);
    const int left = geometry.symbolLeft(), top = geometry.symbolTop();
    for (int my = 0; my < symbol.modules; ++my)
        for (int mx = 0; mx < symbol.modules; ++mx)
            if (symbol.dark[size_t(my) * symbol.modules + mx])
                for (int dy = 0; dy < moduleSize; ++dy)
                    for (int dx = 0; dx < moduleSize; ++dx)
                        image.set(left + mx * moduleSize + dx, top + my * moduleSize + dy, 0);
    return geometry;
}

Result<QrContent> QrCodec::read(const Image& image, const QrGeometry& g, std::string* rawText)
{
    const Error damaged = makeError(ErrorKind::Auth, "the QR code was modified after protection");
    if (g.modules < 21 || g.modules > 177 || (g.modules - 17) % 4 != 0 || g.moduleSize < 1 ||
        !g.region.insideImage(image.width(), image.height()) ||
        g.modules * g.moduleSize + 2 * kQuietZone * g.moduleSize >
            std::min(g.region.width, g.region.height) ||
        g.white < 1 || g.white > image.maxValue())
        return makeError(ErrorKind::Auth, "the QR geometry does not fit the key region");
    // The whole region must be pure black/white, the quiet zone white, every module one flat colour.
    std::vector<uint8_t> dark(size_t(g.modules) * g.modules);
    const bool flat = image.bitDepth() == 16 ? readModuleGrid<uint16_t>(image.mat(), g, dark)
                                             : readModuleGrid<uint8_t>(image.mat(), g, dark);
    if (!flat)
        return damaged;
    if (!hasQrStructure(dark, g.modules))
        return makeError(ErrorKind::Auth, "the QR code cannot be decoded: it was modified after protection");
    // Redraw the clean symbol at 2 px per module with a 4-module quiet zone for ZXing's pure mode.
    const int scale = 2, side = (g.modules + 2 * kQuietZone) * scale;
    std::vector<uint8_t> clean(size_t(side) * side, 255);
    for (int my = 0; my < g.modules; ++my)
        for (int mx = 0; mx < g.modules; ++mx)
            if (dark[size_t(my) * g.modules + mx])
                for (int dy = 0; dy < scale; ++dy)
                    for (int dx = 0; dx < scale; ++dx)
                        clean[size_t((kQuietZone + my) * scale + dy) * side + (kQuietZone + mx) * scale +
                              dx] = 0;
    ZXing::DecodeHints hints;
    hints.setFormats(ZXing::BarcodeFormat::QRCode);
    hints.setIsPure(true);
    hints.setTryRotate(false);
    hints.setTryHarder(false);
    // A grid with every function pattern exact is decoded in this process: ZXing's pure-mode detector then
    // sees a perfect symbol, and recovery saves the fork (most of its time). Any other grid is a foreign or
    // crafted symbol and goes to the forked reader, which contains whatever ZXing does with it.
    std::optional<std::string> decoded;
    if (hasExactFunctionPatterns(dark, g.modules)) {
        const auto result = ZXing::ReadBarcode({clean.data(), side, side, ZXing::ImageFormat::Lum}, hints);
        if (result.isValid())
            decoded = result.text();
    } else
        decoded = decodeIsolated(clean.data(), side, side, hints);
    if (!decoded)
        return makeError(ErrorKind::Auth, "the QR code cannot be decoded: it was modified after protection");
    const std::string text = *decoded;
    if (rawText)
        *rawText = text;
    auto content = parse(text);
    if (!content)
        return makeError(ErrorKind::Auth, content.error().message);
    return content;
}

uint64_t QrCodec::isolatedDecodeCount()
{
    return g_isolatedDecodes.load(std::memory_order_relaxed);
}

Result<std::string> QrCodec::scan(const Image& image)
{
    cv::Mat grey8;
    if (image.bitDepth() == 16) {
        double low = 0, high = 0;
        cv::minMaxLoc(image.mat(), &low, &high);
        image.mat().convertTo(grey8, CV_8U, 255.0 / std::max(1.0, high));
    } else
        grey8 = image.mat().isContinuous() ? image.mat() : image.mat().clone();
    ZXing::DecodeHints hints;
    hints.setFormats(ZXing::BarcodeFormat::QRCode);
    hints.setTryHarder(true);
    hints.setTryRotate(false);
    const auto decoded = decodeIsolated(grey8.ptr<uint8_t>(), grey8.cols, grey8.rows, hints);
    if (!decoded)
        return makeError(ErrorKind::BadInput, "no QR code found");
    const std::string text = *decoded;
    if (text.rfind(kMagic, 0) != 0)
        return makeError(ErrorKind::BadInput, "the QR code is not a MedVeil protection code");
    return text;
}

} // namespace medveil
