// SPDX-License-Identifier: GPL-3.0-or-later
// Issue #25.10: the GUI signs what it makes with the sender key chosen in the Key Manager (its passphrase
// asked in a dialog), and the trusted senders live in one file that medveil-cli reads too: a file protected
// or sealed in the GUI verifies with `recover --verify SENDER_PUB.pem` and `--verify-trusted`, and the GUI
// names the trusted sender.
#include "AppSettings.h"
#include "EmrPanel.h"
#include "GuiTestSupport.h"
#include "KeyManagerDialog.h"
#include "MainWindow.h"
#include "ProtectPanel.h"
#include "RecoverPanel.h"
#include "SenderSigning.h"
#include "TrustedSenders.h"
#include "core/Bytes.h"
#include "crypto/RsaKey.h"
#include "io/AtomicFile.h"
#include "workflow/TrustedSenders.h"

#include <QFile>
#include <QInputDialog>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

#include <sys/stat.h>

using namespace medveil;
using namespace medveil::ui;

namespace {

struct CliRun
{
    int exitCode = -1;
    QByteArray out, err;
    [[nodiscard]] QJsonObject json() const { return QJsonDocument::fromJson(out).object(); }
};

CliRun runCli(const QStringList& args)
{
    QProcess process;
    process.start(QStringLiteral(MEDVEIL_CLI), args);
    process.closeWriteChannel();
    CliRun run;
    if (!process.waitForFinished(180000))
        return run;
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2;
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}

const QString kSenderPassphrase = QStringLiteral("sender passphrase 2026");

/// Answers the next passphrase dialog that `parent` opens (PassphrasePrompt.h) with `passphrase`.
void answerPassphraseDialog(QWidget* parent, const QString& passphrase, bool* asked)
{
    QTimer::singleShot(0, parent, [parent, passphrase, asked] {
        QInputDialog* ask = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT(
            (ask = parent->findChild<QInputDialog*>(QStringLiteral("passphraseDialog"))) && ask->isVisible(),
            10000);
        *asked = true;
        ask->setTextValue(passphrase);
        ask->accept();
    });
}

} // namespace

class TestGuiSigning : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir, m_config;
    QString m_recipientPriv, m_recipientPub, m_recipientPass, m_senderPriv, m_senderPub;

    QString path(const char* name) const { return m_dir.filePath(QLatin1String(name)); }
    QString listPath() const { return m_config.filePath(QStringLiteral("MedVeil/trusted-senders")); }

private Q_SLOTS:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(QStringLiteral("MedVeilTest"));
        QCoreApplication::setApplicationName(QStringLiteral("MedVeilSigning"));
        // This test's own config folder, for the GUI (settings, trusted senders) and the CLI it runs.
        qputenv("XDG_CONFIG_HOME", m_config.path().toLocal8Bit());
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_config.path());
        const RsaKey recipient = *RsaKey::generate(2048);
        m_recipientPriv = path("recipient.pem");
        m_recipientPub = path("recipient.pub.pem");
        m_recipientPass = path("recipient.pass");
        QVERIFY(writeFileAtomically(m_recipientPriv.toStdString(),
                                    toBytes(*recipient.privatePem(std::string("recipient passphrase"))), {},
                                    FileMode::Private)
                    .ok());
        QVERIFY(writeFileAtomically(m_recipientPub.toStdString(), toBytes(*recipient.publicPem())).ok());
        // Owner-only, as the CLI requires of a passphrase file.
        QVERIFY(writeFileAtomically(m_recipientPass.toStdString(), toBytes("recipient passphrase\n"), {},
                                    FileMode::Private)
                    .ok());
    }

    // The trusted senders a user kept in the settings of an earlier release move into the file, once.
    void earlierTrustListMovesIntoTheFile()
    {
        const QString fingerprint = QString(64, QLatin1Char('a'));
        AppSettings::setValue(AppSettings::Key::TrustedSenders,
                              QVariantMap{{fingerprint, QStringLiteral("Old friend")}});
        QCOMPARE(TrustedSenders::all().value(fingerprint), QStringLiteral("Old friend"));
        QVERIFY(AppSettings::value(AppSettings::Key::TrustedSenders).toMap().isEmpty());
        auto list = workflow::TrustedSenderList::load(listPath().toStdString());
        QVERIFY(list.ok());
        QCOMPARE(list->senders().size(), size_t(1));
        QCOMPARE(QString::fromStdString(list->senders().front().name), QStringLiteral("Old friend"));
        struct stat info
        {};
        QCOMPARE(::stat(QFile::encodeName(listPath()).constData(), &info), 0);
        QCOMPARE(info.st_mode & 0777, 0600u);
        QVERIFY(TrustedSenders::forget(fingerprint));
        QVERIFY(TrustedSenders::all().isEmpty());
    }

    void guiSignedProtectionVerifiesWithTheCli()
    {
        MainWindow window;
        QVERIFY(medveil::test::showAndExpose(window));
        // Nothing chosen yet: the box says where to choose a key and nothing is signed.
        QVERIFY(!window.protectPanel()->signing()->isEnabled());
        QVERIFY(!window.protectPanel()->signing()->signing());

        // Keys ▸ Key Manager: a sender key pair, chosen as "my signing key"; its public half trusted.
        KeyManagerDialog* manager = window.showKeyManager();
        QSignalSpy generated(manager, &KeyManagerDialog::generated);
        manager->generate(m_dir.path(), QStringLiteral("sender"), 2048, kSenderPassphrase);
        QVERIFY(generated.wait(60000));
        m_senderPriv = generated.first().at(0).toString();
        m_senderPub = generated.first().at(1).toString();
        manager->inspect(m_senderPriv);
        auto* useAsSigning = manager->findChild<QPushButton*>(QStringLiteral("useAsSigningKey"));
        QVERIFY(useAsSigning && useAsSigning->isEnabled());
        useAsSigning->click();
        QCOMPARE(SenderKey::instance()->path(), m_senderPriv);
        SignAsSenderBox* sign = window.protectPanel()->signing();
        QVERIFY(sign->isEnabled() && sign->isChecked());
        QVERIFY2(sign->text().contains(QStringLiteral("sender.private.pem")), qPrintable(sign->text()));
        QVERIFY(window.emrPanel()->signing()->signing());
        manager->inspect(m_senderPub);
        QVERIFY(manager->trustInspectedKey(QStringLiteral("Dr Li, Radiology")));
        manager->close();
        // The list is the engine's file, readable by the CLI: the sender's line and key.
        QFile list(listPath());
        QVERIFY(list.open(QIODevice::ReadOnly));
        const QByteArray listText = list.readAll();
        QVERIFY2(listText.contains(" Dr Li, Radiology\n") && listText.contains("BEGIN PUBLIC KEY"),
                 listText.constData());

        QSignalSpy loaded(&window, &MainWindow::imageLoaded);
        window.openFile(MainWindow::bundledSamplePath());
        QVERIFY(loaded.wait(10000));
        ProtectPanel* protect = window.protectPanel();
        protect->setRecipientKeyPath(m_recipientPub);
        QSignalSpy saved(protect, &ProtectPanel::saved);
        QSignalSpy failed(protect, &ProtectPanel::failed);
        const QString signedFile = path("gui-signed.png");
        bool asked = false;
        answerPassphraseDialog(protect, kSenderPassphrase, &asked);
        protect->protectAndSave(signedFile);
        QTRY_VERIFY_WITH_TIMEOUT(saved.count() + failed.count() > 0, 60000);
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));
        QVERIFY(asked);

        // The CLI checks the GUI's signature: by the sender's public key, and by the trusted-sender list.
        const QStringList recoverArgs = {QStringLiteral("--private"), m_recipientPriv,
                                         QStringLiteral("--passphrase-file"), m_recipientPass,
                                         QStringLiteral("--json")};
        const QString out = path("cli-recovered.png");
        const CliRun byKey = runCli(
            QStringList{QStringLiteral("recover"), signedFile, out, QStringLiteral("--verify"), m_senderPub} +
            recoverArgs);
        QVERIFY2(byKey.exitCode == 0, byKey.err.constData());
        const QString fingerprint = byKey.json().value(QStringLiteral("signed_by")).toString();
        QCOMPARE(fingerprint.size(), 64);
        QFile::remove(out);
        const CliRun byList = runCli(
            QStringList{QStringLiteral("recover"), signedFile, out, QStringLiteral("--verify-trusted")} +
            recoverArgs);
        QVERIFY2(byList.exitCode == 0, byList.err.constData());
        QCOMPARE(byList.json().value(QStringLiteral("trusted_sender")).toString(),
                 QStringLiteral("Dr Li, Radiology"));
        QCOMPARE(byList.json().value(QStringLiteral("signed_by")).toString(), fingerprint);
        QFile::remove(out);

        // The GUI names the trusted sender on the Recover tab.
        RecoverPanel* recover = window.recoverPanel();
        QSignalSpy inspected(recover, &RecoverPanel::inspected);
        loaded.clear();
        window.openFile(signedFile);
        QVERIFY(loaded.wait(10000));
        QTRY_VERIFY_WITH_TIMEOUT(!inspected.isEmpty(), 10000);
        QVERIFY2(recover->signer().contains(QStringLiteral("Dr Li, Radiology, a trusted sender")),
                 qPrintable(recover->signer()));

        // Unchecked, the box signs nothing: --verify-trusted refuses that file (exit 3, nothing written).
        loaded.clear();
        window.openFile(MainWindow::bundledSamplePath());
        QVERIFY(loaded.wait(10000));
        sign->setChecked(false);
        const QString unsignedFile = path("gui-unsigned.png");
        saved.clear();
        protect->protectAndSave(unsignedFile);
        QTRY_VERIFY_WITH_TIMEOUT(saved.count() + failed.count() > 0, 60000);
        QVERIFY(failed.isEmpty());
        const CliRun refused = runCli(
            QStringList{QStringLiteral("recover"), unsignedFile, out, QStringLiteral("--verify-trusted")} +
            recoverArgs);
        QCOMPARE(refused.exitCode, 3);
        QVERIFY2(refused.err.contains("not signed"), refused.err.constData());
        QVERIFY(!QFile::exists(out));
    }

    // The EMR tab signs a seal the same way; emr-open --verify-trusted accepts it and names the sender.
    void guiSignedSealVerifiesWithTheCli()
    {
        QVERIFY(!m_senderPriv.isEmpty()); // the previous test chose and trusted the sender
        MainWindow window;
        QVERIFY(medveil::test::showAndExpose(window));
        QSignalSpy loaded(&window, &MainWindow::imageLoaded);
        window.openFile(MainWindow::bundledSamplePath());
        QVERIFY(loaded.wait(10000));
        EmrPanel* emr = window.emrPanel();
        QVERIFY(emr->signing()->signing());
        emr->setRecipientKeyPath(m_recipientPub);
        emr->setEmrText(QStringLiteral("Follow-up MRI in six weeks. 六周后复查。"));
        QSignalSpy sealed(emr, &EmrPanel::sealed);
        QSignalSpy failed(emr, &EmrPanel::failed);
        const QString sealedFile = path("gui-sealed.png");
        bool asked = false;
        answerPassphraseDialog(emr, kSenderPassphrase, &asked);
        emr->sealAndSave(sealedFile);
        QTRY_VERIFY_WITH_TIMEOUT(sealed.count() + failed.count() > 0, 120000);
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));
        QVERIFY(asked);
        const CliRun opened =
            runCli({QStringLiteral("emr-open"), sealedFile, QStringLiteral("--private"), m_recipientPriv,
                    QStringLiteral("--passphrase-file"), m_recipientPass, QStringLiteral("--emr-out"),
                    path("gui-sealed.txt"), QStringLiteral("--image-out"), path("gui-sealed-image.png"),
                    QStringLiteral("--verify-trusted"), QStringLiteral("--json")});
        QVERIFY2(opened.exitCode == 0, opened.err.constData());
        QCOMPARE(opened.json().value(QStringLiteral("trusted_sender")).toString(),
                 QStringLiteral("Dr Li, Radiology"));
    }
};

QTEST_MAIN(TestGuiSigning)
#include "test_gui_signing.moc"
