// SPDX-License-Identifier: GPL-3.0-or-later
#include "crypto/AesGcm.h"
#include "crypto/ContainerSignature.h"
#include "crypto/Digest.h"
#include "crypto/RsaKey.h"
#include "crypto/SipHash.h"

#include <opencv2/core.hpp>

#include <QtTest>

using namespace medveil;

namespace {
Bytes hex(const char* text)
{
    const QByteArray raw = QByteArray::fromHex(QByteArray(text));
    return Bytes(raw.begin(), raw.end());
}
} // namespace

class TestCrypto : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void aesGcmNistVectors_data()
    {
        QTest::addColumn<QByteArray>("key");
        QTest::addColumn<QByteArray>("iv");
        QTest::addColumn<QByteArray>("plain");
        QTest::addColumn<QByteArray>("aad");
        QTest::addColumn<QByteArray>("cipher");
        QTest::addColumn<QByteArray>("tag");
        // McGrew & Viega, "The Galois/Counter Mode of Operation", test cases 13, 14, 16 (AES-256).
        QTest::newRow("TC13") << QByteArray(64, '0') << QByteArray(24, '0') << QByteArray() << QByteArray()
                              << QByteArray() << QByteArray("530f8afbc74536b9a963b4f1c4cb738b");
        QTest::newRow("TC14") << QByteArray(64, '0') << QByteArray(24, '0') << QByteArray(32, '0')
                              << QByteArray() << QByteArray("cea7403d4d606b6e074ec5d3baf39d18")
                              << QByteArray("d0d1c8a799996bf0265b98b5d48ab919");
        QTest::newRow("TC16") << QByteArray(
                                     "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308")
                              << QByteArray("cafebabefacedbaddecaf888")
                              << QByteArray("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
                                            "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39")
                              << QByteArray("feedfacedeadbeeffeedfacedeadbeefabaddad2")
                              << QByteArray("522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
                                            "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662")
                              << QByteArray("76fc6ece0f4e1768cddf8853bb2d551b");
    }
    void aesGcmNistVectors()
    {
        QFETCH(QByteArray, key);
        QFETCH(QByteArray, iv);
        QFETCH(QByteArray, plain);
        QFETCH(QByteArray, aad);
        QFETCH(QByteArray, cipher);
        QFETCH(QByteArray, tag);
        auto sealed = AesGcm::sealWithNonce(hex(key), hex(iv), hex(plain), hex(aad));
        QVERIFY(sealed.ok());
        Bytes expected = hex(iv);
        const Bytes c = hex(cipher), t = hex(tag);
        expected.insert(expected.end(), c.begin(), c.end());
        expected.insert(expected.end(), t.begin(), t.end());
        QCOMPARE(hexEncode(*sealed), hexEncode(expected));
        auto opened = AesGcm::open(hex(key), *sealed, hex(aad));
        QVERIFY(opened.ok());
        QCOMPARE(*opened, hex(plain));
    }

    void aesGcmDetectsEveryChange()
    {
        const Bytes key = *randomBytes(32);
        const Bytes plain = toBytes("key region pixels");
        const Bytes aad = toBytes("context");
        const Bytes sealed = *AesGcm::seal(key, plain, aad);
        QCOMPARE(sealed.size(), plain.size() + 28);
        for (size_t i = 0; i < sealed.size(); ++i) {
            Bytes tampered = sealed;
            tampered[i] ^= 0x01;
            QCOMPARE(AesGcm::open(key, tampered, aad).error().kind, ErrorKind::Auth);
        }
        Bytes wrongKey = key;
        wrongKey[0] ^= 1;
        QCOMPARE(AesGcm::open(wrongKey, sealed, aad).error().kind, ErrorKind::Auth);
        QCOMPARE(AesGcm::open(key, sealed, toBytes("other")).error().kind, ErrorKind::Auth);
        QCOMPARE(AesGcm::open(key, Bytes(5), aad).error().kind, ErrorKind::Auth);
        // Fresh nonce each time.
        QVERIFY(*AesGcm::seal(key, plain, aad) != sealed);
    }

    void digestsKnownAnswers()
    {
        QCOMPARE(hexEncode(sha256(toBytes("abc"))),
                 std::string("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
        // RFC 4231 test case 2.
        QCOMPARE(hexEncode(hmacSha256(toBytes("Jefe"), toBytes("what do ya want for nothing?"))),
                 std::string("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"));
        // RFC 5869 test case 1.
        auto okm = hkdfSha256(Bytes(22, 0x0b), hex("000102030405060708090a0b0c"),
                              std::string("\xf0\xf1\xf2\xf3\xf4\xf5\xf6\xf7\xf8\xf9", 10), 42);
        QVERIFY(okm.ok());
        QCOMPARE(hexEncode(*okm),
                 std::string("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf"
                             "34007208d5b887185865"));
        QVERIFY(constantTimeEqual(toBytes("same"), toBytes("same")));
        QVERIFY(!constantTimeEqual(toBytes("same"), toBytes("sane")));
        QVERIFY(!constantTimeEqual(toBytes("same"), toBytes("same!")));
    }

    /// SipHash-2-4 (the per-block digests of protection records since version 3): the reference vectors of
    /// Aumasson & Bernstein (key 00…0f, message 00 01 … of length 0, 15, 63), in any order through one
    /// context — each tag re-initialised with the same key.
    void sipHashKnownAnswers()
    {
        Bytes key(16), message(63);
        for (size_t i = 0; i < key.size(); ++i)
            key[i] = uint8_t(i);
        for (size_t i = 0; i < message.size(); ++i)
            message[i] = uint8_t(i);
        auto mac = SipHashContext::create(key);
        QVERIFY2(mac.ok(), mac.ok() ? "" : mac.error().message.c_str());
        const std::pair<size_t, std::string> vectors[] = {{15, "e545be4961ca29a1"},
                                                          {0, "310e0edd47db6f72"},
                                                          {63, "724506eb4c328a95"},
                                                          {15, "e545be4961ca29a1"}};
        for (const auto& [length, expected] : vectors) {
            Bytes tag(SipHashContext::kTagSize);
            QVERIFY(mac->tag(message.data(), length, tag.data()));
            QCOMPARE(hexEncode(tag), expected);
        }
        QCOMPARE(SipHashContext::create(Bytes(32, 1)).error().kind, ErrorKind::BadInput);
    }

    void randomBytesDiffer()
    {
        const Bytes a = *randomBytes(32), b = *randomBytes(32);
        QCOMPARE(a.size(), size_t(32));
        QVERIFY(a != b);
    }

    void rsaPemRoundTripsAndOaep()
    {
        auto key = RsaKey::generate(2048);
        QVERIFY(key.ok());
        QCOMPARE(key->bits(), 2048);
        const std::string pub = *key->publicPem();
        const std::string plainPem = *key->privatePem();
        const std::string encPem = *key->privatePem(std::string("correct horse"));
        QVERIFY(plainPem.find("BEGIN PRIVATE KEY") != std::string::npos);
        QVERIFY(encPem.find("BEGIN ENCRYPTED PRIVATE KEY") != std::string::npos);

        auto publicOnly = RsaKey::fromPem(pub);
        QVERIFY(publicOnly.ok());
        QVERIFY(!publicOnly->hasPrivate());
        QCOMPARE(*publicOnly->fingerprint(), *key->fingerprint());

        const Bytes secret = *randomBytes(64);
        const Bytes ciphertext = *publicOnly->encrypt(secret);
        QCOMPARE(ciphertext.size(), size_t(256));
        QVERIFY(*publicOnly->encrypt(secret) != ciphertext); // OAEP is randomised

        auto reloaded = RsaKey::fromPem(encPem, std::string("correct horse"));
        QVERIFY(reloaded.ok());
        QCOMPARE(*reloaded->decrypt(ciphertext), secret);
        QCOMPARE(*RsaKey::fromPem(plainPem)->decrypt(ciphertext), secret);
        QCOMPARE(publicOnly->decrypt(ciphertext).error().kind, ErrorKind::Usage);

        // Too long for OAEP-SHA-256 with 2048 bits (max 190 bytes).
        QVERIFY(publicOnly->encrypt(Bytes(191)).error().kind == ErrorKind::Internal);
        QVERIFY(publicOnly->encrypt(Bytes(190)).ok());
    }

    void rsaPssSignaturesAndContainerSignatures()
    {
        const RsaKey sender = *RsaKey::generate(2048), other = *RsaKey::generate(2048);
        const Bytes message = toBytes("protection record");
        const Bytes signature = *sender.sign(message);
        QCOMPARE(signature.size(), size_t(256));
        QVERIFY(*sender.sign(message) != signature); // PSS is randomised (32-byte salt)
        auto publicOnly = RsaKey::fromPublicDer(*sender.publicDer());
        QVERIFY(publicOnly.ok());
        QCOMPARE(*publicOnly->fingerprint(), *sender.fingerprint());
        QVERIFY(publicOnly->verify(message, signature).ok());
        QCOMPARE(publicOnly->verify(toBytes("protection recorD"), signature).error().kind, ErrorKind::Auth);
        QCOMPARE(other.verify(message, signature).error().kind, ErrorKind::Auth);
        QCOMPARE(publicOnly->sign(message).error().kind, ErrorKind::Usage);
        QCOMPARE(RsaKey::fromPublicDer(Bytes(40, 7)).error().kind, ErrorKind::BadInput);
        // A container: pixels + every metadata entry signed; any change or a key swap is Auth.
        cv::Mat pixels(8, 8, CV_8U, cv::Scalar(9));
        const Image image = *Image::fromMat(pixels);
        std::map<std::string, std::string> metadata = {{"MedVeil:format", "key-region 1"},
                                                       {"MedVeil:qr", "x"}};
        QVERIFY(*ContainerSignature::verify(image, metadata) == std::nullopt);
        QVERIFY(ContainerSignature::sign(image, metadata, sender).ok());
        auto signedBy = ContainerSignature::check(image, metadata, *publicOnly);
        QVERIFY(signedBy.ok() && *signedBy && **signedBy == *sender.fingerprint());
        QCOMPARE(ContainerSignature::check(image, metadata, other).error().kind, ErrorKind::Auth);
        auto changed = metadata;
        changed["MedVeil:qr"] = "y";
        QCOMPARE(ContainerSignature::verify(image, changed).error().kind, ErrorKind::Auth);
        auto added = metadata;
        added["MedVeil:extra"] = "";
        QCOMPARE(ContainerSignature::verify(image, added).error().kind, ErrorKind::Auth);
        Image flipped = image.clone();
        flipped.set(3, 3, 10);
        QCOMPARE(ContainerSignature::verify(flipped, metadata).error().kind, ErrorKind::Auth);
        auto swapped = metadata;
        swapped[ContainerSignature::kSignerKey] = base64Encode(*other.publicDer());
        QCOMPARE(ContainerSignature::verify(image, swapped).error().kind, ErrorKind::Auth);
        auto half = metadata;
        half.erase(ContainerSignature::kSignatureKey);
        QCOMPARE(ContainerSignature::verify(image, half).error().kind, ErrorKind::Auth);
        metadata.erase(ContainerSignature::kSignerKey);
        metadata.erase(ContainerSignature::kSignatureKey);
        QCOMPARE(ContainerSignature::check(image, metadata, *publicOnly).error().kind, ErrorKind::Auth);
    }

    void wrongPassphraseOrKeyIsAuthError()
    {
        auto key = *RsaKey::generate(2048);
        const std::string encPem = *key.privatePem(std::string("right"));
        QCOMPARE(RsaKey::fromPem(encPem, std::string("wrong")).error().kind, ErrorKind::Auth);
        QCOMPARE(RsaKey::fromPem(encPem).error().kind, ErrorKind::Auth);
        auto other = *RsaKey::generate(2048);
        const Bytes ciphertext = *key.encrypt(toBytes("hello"));
        QCOMPARE(other.decrypt(ciphertext).error().kind, ErrorKind::Auth);
        Bytes tampered = ciphertext;
        tampered[100] ^= 4;
        QCOMPARE(key.decrypt(tampered).error().kind, ErrorKind::Auth);
    }

    void refusesWeakOrBrokenKeys()
    {
        QCOMPARE(RsaKey::generate(1024).error().kind, ErrorKind::Usage);
        QCOMPARE(RsaKey::fromPem("not a key").error().kind, ErrorKind::BadInput);
        QCOMPARE(
            RsaKey::fromPem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n").error().kind,
            ErrorKind::BadInput);
    }
};

QTEST_GUILESS_MAIN(TestCrypto)
#include "test_crypto.moc"
