// SPDX-License-Identifier: GPL-3.0-or-later
#include "TestImages.h"
#include "core/Bytes.h"
#include "core/DisplayText.h"
#include "core/Image.h"
#include "core/ProcessSetup.h"
#include "core/Progress.h"
#include "core/Result.h"

#include <QtTest>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

using namespace medveil;

class TestCore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void errorKindsMapToCliExitCodes()
    {
        QCOMPARE(makeError(ErrorKind::Usage, "").exitCode(), 1);
        QCOMPARE(makeError(ErrorKind::BadInput, "").exitCode(), 2);
        QCOMPARE(makeError(ErrorKind::Auth, "").exitCode(), 3);
        QCOMPARE(makeError(ErrorKind::Capacity, "").exitCode(), 4);
        QCOMPARE(makeError(ErrorKind::Internal, "").exitCode(), 5);
        QCOMPARE(makeError(ErrorKind::Cancelled, "").exitCode(), 130);
    }

    void resultHoldsValueOrError()
    {
        Result<int> good(7);
        QVERIFY(good.ok());
        QCOMPARE(*good, 7);
        Result<int> bad(makeError(ErrorKind::Auth, "nope"));
        QVERIFY(!bad.ok());
        QCOMPARE(bad.error().kind, ErrorKind::Auth);
        QCOMPARE(QString::fromStdString(bad.error().message), QStringLiteral("nope"));
        Status fine;
        QVERIFY(fine.ok());
        auto propagate = [](bool fail) -> Status {
            MEDVEIL_TRY(fail ? Status(makeError(ErrorKind::Capacity, "full")) : Status());
            return {};
        };
        QVERIFY(propagate(false).ok());
        QCOMPARE(propagate(true).error().kind, ErrorKind::Capacity);
        QCOMPARE(good.valueOr(-1), 7);
        QCOMPARE(bad.valueOr(-1), -1);
        auto twice = [](Result<int> in) -> Result<int> {
            MEDVEIL_ASSIGN_OR_RETURN(const int value, std::move(in));
            return value * 2;
        };
        QCOMPARE(*twice(Result<int>(21)), 42);
        QCOMPARE(twice(Result<int>(makeError(ErrorKind::BadInput, "no"))).error().kind, ErrorKind::BadInput);
    }

    // Reading a failed Result's value never throws (exceptions must not cross the engine): it stops the
    // program with the error's message. Run in a child process.
    void readingAFailedResultAbortsWithItsMessage()
    {
        int pipeFds[2];
        QCOMPARE(::pipe(pipeFds), 0);
        const pid_t child = ::fork();
        QVERIFY(child >= 0);
        if (child == 0) {
            ::dup2(pipeFds[1], 2);
            Result<int> bad(makeError(ErrorKind::Auth, "the seal was modified"));
            volatile int value = *bad; // aborts here
            (void)value;
            ::_exit(0);
        }
        ::close(pipeFds[1]);
        std::string stderrText;
        char buffer[256];
        for (ssize_t n; (n = ::read(pipeFds[0], buffer, sizeof buffer)) > 0;)
            stderrText.append(buffer, size_t(n));
        ::close(pipeFds[0]);
        int status = 0;
        QCOMPARE(::waitpid(child, &status, 0), child);
        QVERIFY(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
        QVERIFY2(stderrText.find("the seal was modified") != std::string::npos, stderrText.c_str());
    }

    // Issue #27: what a file says is shown with its control characters as visible escapes.
    void displaySafeEscapesWhatCouldFakeOrReorderText_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QByteArray>("shown");
        QTest::addColumn<bool>("utf8");
        QTest::newRow("plain ASCII kept")
            << QByteArray("Union Hospital, dept=CT") << QByteArray("Union Hospital, dept=CT") << true;
        QTest::newRow("CJK, accents, emoji kept")
            << QByteArray("\xe5\x8d\x8f\xe5\x92\x8c caf\xc3\xa9 \xf0\x9f\xa9\xbb")
            << QByteArray("\xe5\x8d\x8f\xe5\x92\x8c caf\xc3\xa9 \xf0\x9f\xa9\xbb") << true;
        QTest::newRow("terminal escape")
            << QByteArray("x\x1b[2K\x1b[1Gsigned\v") << QByteArray("x\\x1B[2K\\x1B[1Gsigned\\x0B") << true;
        QTest::newRow("line breaks, tab, DEL, NUL") << QByteArray("a\nb\rc\td\x7f", 8) + QByteArray(1, '\0')
                                                    << QByteArray("a\\x0Ab\\x0Dc\\x09d\\x7F\\x00") << true;
        QTest::newRow("C1 CSI") << QByteArray("a\xc2\x9b"
                                              "2J")
                                << QByteArray("a\\u009B2J") << true;
        QTest::newRow("bidirectional override") << QByteArray("a\xe2\x80\xae"
                                                              "cba")
                                                << QByteArray("a\\u202Ecba") << true;
        QTest::newRow("truncated sequence") << QByteArray("x\xc3") << QByteArray("x\\xC3") << false;
        QTest::newRow("overlong slash") << QByteArray("\xc0\xaf") << QByteArray("\\xC0\\xAF") << false;
        QTest::newRow("surrogate") << QByteArray("\xed\xa0\x80") << QByteArray("\\xED\\xA0\\x80") << false;
        QTest::newRow("past U+10FFFF")
            << QByteArray("\xf4\x90\x80\x80") << QByteArray("\\xF4\\x90\\x80\\x80") << false;
    }
    void displaySafeEscapesWhatCouldFakeOrReorderText()
    {
        QFETCH(QByteArray, text);
        QFETCH(QByteArray, shown);
        QFETCH(bool, utf8);
        const std::string_view input(text.constData(), size_t(text.size()));
        const std::string safe = displaySafe(input);
        QCOMPARE(QByteArray::fromStdString(safe), shown);
        QCOMPARE(isValidUtf8(input), utf8);
        // Whatever came in, what is shown is UTF-8 without a single C0 control or DEL.
        QVERIFY(isValidUtf8(safe));
        for (const char c : safe)
            QVERIFY(static_cast<unsigned char>(c) >= 0x20 && c != 0x7f);
    }

    void base64KnownAnswers_data()
    {
        QTest::addColumn<QByteArray>("plain");
        QTest::addColumn<QString>("encoded");
        // RFC 4648 section 10 test vectors.
        QTest::newRow("empty") << QByteArray("") << "";
        QTest::newRow("f") << QByteArray("f") << "Zg==";
        QTest::newRow("fo") << QByteArray("fo") << "Zm8=";
        QTest::newRow("foo") << QByteArray("foo") << "Zm9v";
        QTest::newRow("foob") << QByteArray("foob") << "Zm9vYg==";
        QTest::newRow("fooba") << QByteArray("fooba") << "Zm9vYmE=";
        QTest::newRow("foobar") << QByteArray("foobar") << "Zm9vYmFy";
    }
    void base64KnownAnswers()
    {
        QFETCH(QByteArray, plain);
        QFETCH(QString, encoded);
        const Bytes bytes(plain.begin(), plain.end());
        QCOMPARE(QString::fromStdString(base64Encode(bytes)), encoded);
        auto decoded = base64Decode(encoded.toStdString());
        QVERIFY(decoded.ok());
        QCOMPARE(*decoded, bytes);
    }

    void base64RejectsGarbage()
    {
        QCOMPARE(base64Decode("Zm9").error().kind, ErrorKind::BadInput);
        QCOMPARE(base64Decode("Zm9*").error().kind, ErrorKind::BadInput);
        QCOMPARE(base64Decode("Z=9v").error().kind, ErrorKind::BadInput);
        Bytes all(256);
        for (int i = 0; i < 256; ++i)
            all[size_t(i)] = uint8_t(i);
        QCOMPARE(*base64Decode(base64Encode(all)), all);
    }

    void byteReaderStopsAtTheEnd()
    {
        Bytes record;
        appendU16(record, 0xBEEF);
        appendU32(record, 0x01020304);
        appendBlob(record, toBytes("abc"));
        appendU64(record, 0x1122334455667788ULL);
        ByteReader reader(record);
        QCOMPARE(*reader.u16(), uint16_t(0xBEEF));
        QCOMPARE(*reader.u32(), uint32_t(0x01020304));
        QCOMPARE(toString(*reader.blob()), std::string("abc"));
        QCOMPARE(*reader.u64(), uint64_t(0x1122334455667788ULL));
        QCOMPARE(reader.remaining(), size_t(0));
        QCOMPARE(reader.u8().error().kind, ErrorKind::BadInput);
        Bytes lying;
        appendU32(lying, 1000); // claims 1000 bytes, has none
        ByteReader liar(lying);
        QVERIFY(!liar.blob().ok());
    }

    void imageBasics()
    {
        QCOMPARE(Image::create(0, 5, 8).error().kind, ErrorKind::BadInput);
        QCOMPARE(Image::create(5, 5, 12).error().kind, ErrorKind::BadInput);
        QCOMPARE(Image::fromMat(cv::Mat(4, 4, CV_8UC3)).error().kind, ErrorKind::BadInput);
        QCOMPARE(Image::fromMat(cv::Mat(4, 4, CV_32F)).error().kind, ErrorKind::BadInput);
        Image img = *Image::create(3, 2, 16);
        QCOMPARE(img.maxValue(), 65535);
        img.set(2, 1, 0xABCD);
        QCOMPARE(img.at(2, 1), 0xABCD);
        const Bytes bytes = img.pixelBytes();
        QCOMPARE(bytes.size(), size_t(12));
        QCOMPARE(int(bytes[10]), 0xCD); // little-endian
        QCOMPARE(int(bytes[11]), 0xAB);
        Image copy = img.clone();
        QVERIFY(copy.identicalTo(img));
        copy.set(0, 0, 1);
        QVERIFY(!copy.identicalTo(img));
        QVERIFY(!img.identicalTo(*Image::create(3, 2, 8)));
    }

    void cancelTokenIsShared()
    {
        CancelToken token;
        CancelToken copy = token;
        QVERIFY(!copy.isCancelled());
        token.cancel();
        QVERIFY(copy.isCancelled());
        JobControl control;
        double seen = -1;
        control.progress = [&](double f, std::string_view) { seen = f; };
        control.report(0.5, "half");
        QCOMPARE(seen, 0.5);
    }

    /// The buffers an engine process allocates after prepareProcessForEngine() lie in heap memory advised
    /// for transparent huge pages (a fresh protect spent a third of its CPU in 4 KiB page faults), without
    /// the GLIBC_TUNABLES re-exec: smaps marks the mapping holding a new 16 MiB buffer THP-eligible.
    void engineHeapIsAdvisedForHugePages()
    {
        if (const char* why = hugePagesUntestable())
            QSKIP(why);
        medveil::prepareProcessForEngine();
        std::vector<uint8_t> buffer(size_t(16) << 20, 1);
        QCOMPARE(hugePageEligible(buffer), 1);
    }

    /// After shareMainHeapAcrossThreads() (emr-seal, emr-open) another thread's buffers come from that heap
    /// too: the thread loading LibTorch and the network had a thread arena of 4 KiB pages.
    void otherThreadsShareTheHugePageHeap()
    {
        if (const char* why = hugePagesUntestable())
            QSKIP(why);
        medveil::shareMainHeapAcrossThreads();
        medveil::prepareProcessForEngine();
        int eligible = -1;
        std::thread([&] {
            std::vector<uint8_t> buffer(size_t(16) << 20, 1);
            eligible = hugePageEligible(buffer);
        }).join();
        QCOMPARE(eligible, 1);
    }

private:
    /// Why the huge-page checks cannot run here; nullptr when they can.
    static const char* hugePagesUntestable()
    {
#if defined(__SANITIZE_ADDRESS__)
        return "AddressSanitizer's allocator replaces glibc's heap (mallopt and the heap top do not apply)";
#endif
        std::string mode;
        std::getline(std::ifstream("/sys/kernel/mm/transparent_hugepage/enabled"), mode);
        if (mode.find("[madvise]") == std::string::npos)
            return "transparent huge pages are not in madvise mode on this system";
        if (std::getenv("GLIBC_TUNABLES") || std::getenv("MALLOC_MMAP_THRESHOLD_") ||
            std::getenv("MALLOC_TRIM_THRESHOLD_") || std::getenv("MALLOC_TOP_PAD_") ||
            std::getenv("MALLOC_ARENA_MAX"))
            return "the environment sets the allocator itself";
        return nullptr;
    }

    /// THPeligible of the mapping holding the middle of `buffer` (the advice starts at the heap's first
    /// 2 MiB boundary), from /proc/self/smaps; -1 when the mapping is not listed.
    static int hugePageEligible(const std::vector<uint8_t>& buffer)
    {
        const auto address = reinterpret_cast<uintptr_t>(buffer.data() + buffer.size() / 2);
        std::ifstream smaps("/proc/self/smaps");
        std::string line;
        bool inside = false;
        int eligible = -1;
        while (std::getline(smaps, line)) {
            uintptr_t low = 0, high = 0;
            if (std::sscanf(line.c_str(), "%lx-%lx ", &low, &high) == 2 && line.find(' ') > line.find('-'))
                inside = address >= low && address < high;
            else if (inside && line.rfind("THPeligible:", 0) == 0)
                eligible = std::atoi(line.c_str() + 12);
        }
        return eligible;
    }
};

QTEST_GUILESS_MAIN(TestCore)
#include "test_core.moc"
