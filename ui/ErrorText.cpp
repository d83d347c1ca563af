// SPDX-License-Identifier: GPL-3.0-or-later
#include "ErrorText.h"

#include "core/DisplayText.h"

#include <QCoreApplication>
#include <QRegularExpression>

#include <algorithm>

#include <vector>

namespace medveil::ui {

namespace {

/// One engine sentence: the English pattern (the engine's text with its values as groups) and the
/// translatable template with %1, %2, … for the groups. Groups listed in `nested` are engine sentences
/// themselves (a cause after a colon) and are translated in turn.
struct EngineSentence
{
    const char* pattern;
    const char* text;
    std::vector<int> nested = {};
};

const std::vector<EngineSentence>& sentences()
{
    static const std::vector<EngineSentence> table = {
        // Keys and passphrases (crypto/KeyFile, crypto/RsaKey)
        {R"(choose the private key first)",
         QT_TRANSLATE_NOOP("EngineMessage", "choose the private key first")},
        {R"(choose the recipient's public key first)",
         QT_TRANSLATE_NOOP("EngineMessage", "choose the recipient's public key first")},
        {R"(cannot read the private key: (.+))",
         QT_TRANSLATE_NOOP("EngineMessage", "cannot read the private key: %1"),
         {1}},
        {R"(cannot read the recipient's public key: (.+))",
         QT_TRANSLATE_NOOP("EngineMessage", "cannot read the recipient's public key: %1"),
         {1}},
        {R"(the private key '(.*)' is readable by other users; restrict it first \(chmod 600\))",
         QT_TRANSLATE_NOOP("EngineMessage",
                           "the private key '%1' is readable by other users; restrict it first (chmod 600)")},
        {R"('(.*)' holds a public key; the private key is needed)",
         QT_TRANSLATE_NOOP("EngineMessage", "'%1' holds a public key; the private key is needed")},
        {R"(the private key is encrypted: a passphrase is needed)",
         QT_TRANSLATE_NOOP("EngineMessage", "the private key is encrypted: a passphrase is needed")},
        {R"(wrong passphrase for the private key)",
         QT_TRANSLATE_NOOP("EngineMessage", "wrong passphrase for the private key")},
        {R"(the private key file cannot be parsed)",
         QT_TRANSLATE_NOOP("EngineMessage", "the private key file cannot be parsed")},
        {R"(not a PEM key file)", QT_TRANSLATE_NOOP("EngineMessage", "not a PEM key file")},
        {R"(not an RSA public key in PEM \(SubjectPublicKeyInfo\) format)",
         QT_TRANSLATE_NOOP("EngineMessage", "not an RSA public key in PEM (SubjectPublicKeyInfo) format")},
        {R"(the key is not an RSA key)", QT_TRANSLATE_NOOP("EngineMessage", "the key is not an RSA key")},
        {R"(RSA keys below 2048 bits are refused \(this one has (\d+)\))",
         QT_TRANSLATE_NOOP("EngineMessage", "RSA keys below 2048 bits are refused (this one has %1)")},
        {R"(this file was not protected for this private key)",
         QT_TRANSLATE_NOOP("EngineMessage", "this file was not protected for this private key")},
        {R"(wrong private key: the sealed key cannot be decrypted)",
         QT_TRANSLATE_NOOP("EngineMessage", "wrong private key: the sealed key cannot be decrypted")},
        {R"('(.*)' exists; MedVeil never writes over a key file)",
         QT_TRANSLATE_NOOP("EngineMessage", "'%1' exists; MedVeil never writes over a key file")},
        // Signatures and trusted senders (crypto/ContainerSignature, workflow/TrustedSenders)
        {R"(the signature does not verify: the file was modified or signed by another key)",
         QT_TRANSLATE_NOOP("EngineMessage",
                           "the signature does not verify: the file was modified or signed by another key")},
        {R"(the file's signature was removed or damaged)",
         QT_TRANSLATE_NOOP("EngineMessage", "the file's signature was removed or damaged")},
        {R"(the file's signature is damaged)",
         QT_TRANSLATE_NOOP("EngineMessage", "the file's signature is damaged")},
        {R"(the file is not signed, and --verify-trusted asks for a signature by a trusted sender)",
         QT_TRANSLATE_NOOP("EngineMessage", "the file is not signed by a trusted sender")},
        {R"(the file is signed by a key that is not in the trusted-sender list \((.*)\))",
         QT_TRANSLATE_NOOP("EngineMessage", "the file is signed by a key that is not a trusted sender (%1)")},
        {R"(trusted-sender list, line (\d+): (.+))",
         QT_TRANSLATE_NOOP("EngineMessage", "trusted-sender list, line %1: %2")},
        // Reading and writing files (io/ImageIo, io/AtomicFile)
        {R"(cannot read '(.*)': not a regular file)",
         QT_TRANSLATE_NOOP("EngineMessage", "cannot read '%1': not a regular file")},
        {R"(cannot open '(.*)')", QT_TRANSLATE_NOOP("EngineMessage", "cannot open '%1'")},
        {R"('(.*)' is empty)", QT_TRANSLATE_NOOP("EngineMessage", "'%1' is empty")},
        {R"('(.*)' is not a supported image \(PNG, TIFF, BMP, JPEG or DICOM expected\))",
         QT_TRANSLATE_NOOP("EngineMessage",
                           "'%1' is not a supported image (PNG, TIFF, BMP, JPEG or DICOM expected)")},
        {R"('(.*)' is damaged or truncated and cannot be decoded.*)",
         QT_TRANSLATE_NOOP("EngineMessage", "'%1' is damaged or truncated and cannot be decoded")},
        {R"('(.*)' is a colour image; MedVeil works on grey medical images)",
         QT_TRANSLATE_NOOP("EngineMessage", "'%1' is a colour image; MedVeil works on grey medical images")},
        {R"('(.*)' has transparency, which is not supported)",
         QT_TRANSLATE_NOOP("EngineMessage", "'%1' has transparency, which is not supported")},
        {R"('(.*)' has an unsupported sample type \(only unsigned 8- or 16-bit\))",
         QT_TRANSLATE_NOOP("EngineMessage",
                           "'%1' has an unsupported sample type (only unsigned 8- or 16-bit)")},
        {R"('(.*)' declares (\d+)×(\d+) pixels, more than the limit of (\d+).*)",
         QT_TRANSLATE_NOOP("EngineMessage", "'%1' declares %2×%3 pixels, more than the limit of %4")},
        {R"(refusing to write over the input file '(.*)')",
         QT_TRANSLATE_NOOP("EngineMessage", "refusing to write over the input file '%1'")},
        {R"(a \.dcm output needs a DICOM input.*)",
         QT_TRANSLATE_NOOP("EngineMessage", "a .dcm output needs a DICOM input; write a .png instead")},
        {R"(a \.dcm output needs a DICOM image; write a \.png instead)",
         QT_TRANSLATE_NOOP("EngineMessage", "a .dcm output needs a DICOM input; write a .png instead")},
        // DICOM (io/DicomFile)
        {R"((.*): multi-frame images \((\d+) frames\) are not supported; split the frames first)",
         QT_TRANSLATE_NOOP("EngineMessage", "%1: multi-frame images (%2 frames) are not supported")},
        {R"((.*): colour DICOM images are not supported)",
         QT_TRANSLATE_NOOP("EngineMessage", "%1: colour DICOM images are not supported")},
        {R"((.*): the DICOM file has no pixel data)",
         QT_TRANSLATE_NOOP("EngineMessage", "%1: the DICOM file has no pixel data")},
        {R"((.*): lossy-compressed pixel data \((.*)\) cannot be protected bit-exactly.*)",
         QT_TRANSLATE_NOOP("EngineMessage",
                           "%1: lossy-compressed pixel data (%2) cannot be protected bit-exactly; export it "
                           "uncompressed or losslessly compressed")},
        // Key-region protection (keyregion/)
        {R"(the image \((\d+)×(\d+)\) is too small to carry a QR code and its hidden key region)",
         QT_TRANSLATE_NOOP("EngineMessage",
                           "the image (%1×%2) is too small to carry a QR code and its hidden key region")},
        {R"(the region (.*) is not inside the (\d+)×(\d+) image)",
         QT_TRANSLATE_NOOP("EngineMessage", "the region %1 is not inside the %2×%3 image")},
        {R"(the regions (.*) and (.*) overlap)",
         QT_TRANSLATE_NOOP("EngineMessage", "the regions %1 and %2 overlap")},
        {R"(the image is completely black: there is no key region to protect)",
         QT_TRANSLATE_NOOP("EngineMessage",
                           "the image is completely black: there is no key region to protect")},
        {R"(the key region \((\d+) px\) is smaller than the (\d+) px the QR code needs)",
         QT_TRANSLATE_NOOP("EngineMessage",
                           "the key region (%1 px) is smaller than the %2 px the QR code needs")},
        {R"(the public information is too long for a QR code)",
         QT_TRANSLATE_NOOP("EngineMessage", "the public information is too long for a QR code")},
        {R"(the key region does not fit: (\d+) bits needed, at most (\d+) bits available \(threshold ([\d.]+), (\d+) passes\); use a smaller region or a lower threshold)",
         QT_TRANSLATE_NOOP(
             "EngineMessage",
             "the key region does not fit: %1 bits needed, at most %2 bits available (threshold "
             "%3, %4 passes); use a smaller region or a lower threshold")},
        {R"(the key region does not fit: (\d+) bits needed, at most (\d+) bits available \(threshold ([\d.]+), (\d+) passes\); use a smaller region)",
         QT_TRANSLATE_NOOP(
             "EngineMessage",
             "the key region does not fit: %1 bits needed, at most %2 bits available (threshold "
             "%3, %4 passes); use a smaller region")},
        {R"(this image shows a MedVeil QR code but its protection data is gone.*)",
         QT_TRANSLATE_NOOP(
             "EngineMessage",
             "this image shows a MedVeil QR code but its protection data is gone: it was re-saved "
             "(for example as JPEG), converted or resized after protection")},
        {R"(the image was resized after protection \(protected at (\d+)×(\d+), now (\d+)×(\d+)\))",
         QT_TRANSLATE_NOOP("EngineMessage",
                           "the image was resized after protection (protected at %1×%2, now %3×%4)")},
        {R"(the image was modified after protection \(pixels, QR code or protection data changed\))",
         QT_TRANSLATE_NOOP(
             "EngineMessage",
             "the image was modified after protection (pixels, QR code or protection data changed)")},
        {R"(the image was modified after protection \(pixels changed\))",
         QT_TRANSLATE_NOOP("EngineMessage", "the image was modified after protection (pixels changed)")},
        {R"(the hidden data is incomplete: the image was modified)",
         QT_TRANSLATE_NOOP("EngineMessage", "the hidden data is incomplete: the image was modified")},
        {R"(the QR code was modified after protection)",
         QT_TRANSLATE_NOOP("EngineMessage", "the QR code was modified after protection")},
        {R"(the QR code cannot be decoded: it was modified after protection)",
         QT_TRANSLATE_NOOP("EngineMessage",
                           "the QR code cannot be decoded: it was modified after protection")},
        {R"(no QR code found)", QT_TRANSLATE_NOOP("EngineMessage", "no QR code found")},
        {R"(the QR code is not a MedVeil protection code)",
         QT_TRANSLATE_NOOP("EngineMessage", "the QR code is not a MedVeil protection code")},
        {R"(the restored image does not match the original's sealed SHA-256)",
         QT_TRANSLATE_NOOP("EngineMessage",
                           "the restored image does not match the original's sealed SHA-256")},
        {R"(the DICOM header was modified after protection)",
         QT_TRANSLATE_NOOP("EngineMessage", "the DICOM header was modified after protection")},
        {R"(this protection was made in a DICOM file; recover the DICOM file)",
         QT_TRANSLATE_NOOP("EngineMessage",
                           "this protection was made in a DICOM file; recover the DICOM file")},
        {R"(authentication failed: wrong key or the data was modified)",
         QT_TRANSLATE_NOOP("EngineMessage", "authentication failed: wrong key or the data was modified")},
        // EMR sealing (emr/)
        {R"(the EMR has (\d+) bytes but a (\d+)×(\d+) encoded image holds at most (\d+) bytes at base (\d+)(; base 16 holds twice as much as base 4.*)?)",
         QT_TRANSLATE_NOOP(
             "EngineMessage",
             "the EMR has %1 bytes but a %2×%3 encoded image holds at most %4 bytes at base %5")},
        {R"(the EMR is not valid UTF-8 \(first bad byte at offset (\d+)\))",
         QT_TRANSLATE_NOOP("EngineMessage", "the EMR is not valid UTF-8 (first bad byte at offset %1)")},
        {R"(the image is too small to hold an EMR)",
         QT_TRANSLATE_NOOP("EngineMessage", "the image is too small to hold an EMR")},
        {R"(the DICOM header was modified after sealing)",
         QT_TRANSLATE_NOOP("EngineMessage", "the DICOM header was modified after sealing")},
        {R"(this seal was made in a DICOM file; open the DICOM file)",
         QT_TRANSLATE_NOOP("EngineMessage", "this seal was made in a DICOM file; open the DICOM file")},
        {R"(the sealed image's residual was removed)",
         QT_TRANSLATE_NOOP("EngineMessage", "the sealed image's lossless residual was removed")},
        {R"(the sealed image's residual was modified.*)",
         QT_TRANSLATE_NOOP("EngineMessage", "the sealed image's lossless residual was modified")},
        {R"(the sealed image's identity part was removed)",
         QT_TRANSLATE_NOOP("EngineMessage", "the sealed image's identity part was removed")},
        {R"(the sealed image's identity part was modified.*)",
         QT_TRANSLATE_NOOP("EngineMessage", "the sealed image's identity part was modified")},
        {R"(the decrypted image does not match its sealed hash)",
         QT_TRANSLATE_NOOP("EngineMessage", "the decrypted image does not match its sealed hash")},
        {R"(cancelled)", QT_TRANSLATE_NOOP("EngineMessage", "cancelled")},
    };
    return table;
}

/// The longest run of plain characters in a pattern ("' is empty" of "'(.*)' is empty"): a sentence can
/// only match when the message contains it, so only one or two patterns are compiled per message (compiling
/// all of them, with PCRE's JIT, stalled the GUI thread for 200 ms on the first error).
QString literalOf(const char* pattern)
{
    // Only outside groups: a group's text may be optional ("(; base 16 …)?") or an alternative.
    QString longest, current;
    int depth = 0;
    const QString p = QString::fromUtf8(pattern);
    const auto endRun = [&] {
        if (current.size() > longest.size())
            longest = current;
        current.clear();
    };
    for (qsizetype i = 0; i < p.size(); ++i) {
        const QChar c = p[i];
        if (c == QLatin1Char('\\') && i + 1 < p.size()) {
            if (depth > 0 || p[i + 1].isLetterOrNumber()) // \d, \s …: a class, not a character
                endRun();
            else
                current += p[i + 1];
            ++i;
        } else if (c == QLatin1Char('[')) {
            endRun();
            while (i < p.size() && p[i] != QLatin1Char(']'))
                ++i;
        } else if (c == QLatin1Char('(') || c == QLatin1Char(')')) {
            endRun();
            depth += c == QLatin1Char('(') ? 1 : -1;
        } else if (depth > 0 || QStringLiteral(".*+?{}|^$").contains(c)) {
            endRun();
        } else {
            current += c;
        }
    }
    endRun();
    return longest;
}

} // namespace

QString engineMessage(const std::string& message)
{
    // Control characters in the values a sentence quotes (file names, QR text) are escaped first
    // (displayText), so that a translated sentence cannot carry them either.
    const QString text = displayText(message);
    static const QStringList literals = [] {
        QStringList out;
        for (const EngineSentence& sentence : sentences())
            out << literalOf(sentence.pattern);
        return out;
    }();
    for (size_t index = 0; index < sentences().size(); ++index) {
        const EngineSentence& sentence = sentences()[index];
        if (!text.contains(literals[qsizetype(index)]))
            continue;
        const QRegularExpression pattern(
            QRegularExpression::anchoredPattern(QString::fromUtf8(sentence.pattern)));
        const QRegularExpressionMatch match = pattern.match(text);
        if (!match.hasMatch())
            continue;
        QString translated = QCoreApplication::translate("EngineMessage", sentence.text);
        // Placeholders %1…%n in one pass (QString::arg would re-read a value containing "%2").
        QStringList values;
        for (int group = 1; group <= pattern.captureCount(); ++group) {
            const QString value = match.captured(group);
            const bool nested =
                std::find(sentence.nested.begin(), sentence.nested.end(), group) != sentence.nested.end();
            values << (nested ? engineMessage(value.toStdString()) : value);
        }
        QString out;
        for (qsizetype i = 0; i < translated.size(); ++i) {
            if (translated[i] == QLatin1Char('%') && i + 1 < translated.size() &&
                translated[i + 1].isDigit()) {
                const int index = translated[i + 1].digitValue();
                if (index >= 1 && index <= values.size()) {
                    out += values[index - 1];
                    ++i;
                    continue;
                }
            }
            out += translated[i];
        }
        return out;
    }
    return text;
}

QString errorText(const Error& error)
{
    QString kind;
    switch (error.kind) {
    case ErrorKind::Usage:
        kind = QCoreApplication::translate("ErrorText", "Invalid request");
        break;
    case ErrorKind::BadInput:
        kind = QCoreApplication::translate("ErrorText", "Unreadable or unsuitable input");
        break;
    case ErrorKind::Auth:
        kind = QCoreApplication::translate("ErrorText", "Wrong key or passphrase, or the data were modified");
        break;
    case ErrorKind::Capacity:
        kind = QCoreApplication::translate("ErrorText", "Does not fit");
        break;
    case ErrorKind::Internal:
        kind = QCoreApplication::translate("ErrorText", "Internal error");
        break;
    case ErrorKind::Cancelled:
        kind = QCoreApplication::translate("ErrorText", "Cancelled");
        break;
    }
    return QCoreApplication::translate("ErrorText", "%1: %2").arg(kind, engineMessage(error.message));
}

QString qrFieldLabel(const std::string& key)
{
    // The keys ProtectPanel offers (and the CLI's --info examples); others are the sender's own.
    static const std::pair<const char*, const char*> labels[] = {
        {"hospital", QT_TRANSLATE_NOOP("QrField", "Hospital")},
        {"department", QT_TRANSLATE_NOOP("QrField", "Department")},
        {"doctor", QT_TRANSLATE_NOOP("QrField", "Doctor")},
        {"patient", QT_TRANSLATE_NOOP("QrField", "Patient number")},
        {"time", QT_TRANSLATE_NOOP("QrField", "Time")},
        {"contact", QT_TRANSLATE_NOOP("QrField", "Contact")},
        {"type", QT_TRANSLATE_NOOP("QrField", "Image type")},
    };
    for (const auto& [name, label] : labels)
        if (key == name)
            return QCoreApplication::translate("QrField", label);
    return displayText(key);
}

QString displayText(std::string_view text)
{
    const std::string safe = displaySafe(text);
    return QString::fromUtf8(safe.data(), qsizetype(safe.size()));
}

} // namespace medveil::ui
