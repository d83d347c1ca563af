// SPDX-License-Identifier: GPL-3.0-or-later
#include "KeyManagerDialog.h"
#include "ErrorText.h"

#include "AppSettings.h"
#include "BackgroundJob.h"
#include "SenderSigning.h"
#include "TrustedSenders.h"

#include "core/Bytes.h"
#include "crypto/KeyFile.h"
#include "crypto/RsaKey.h"
#include "io/AtomicFile.h"
#include "workflow/KeyPairFiles.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QStandardPaths>
#include <QVBoxLayout>

#include <algorithm>
#include <fstream>

namespace medveil::ui {

namespace {

/// The engine's rule for new key files (crypto/KeyFile.h: checkNewPassphrase), the same as keygen's.
constexpr int kMinimumPassphrase = int(kMinimumPassphraseCharacters);

/// "AB12 CD34 …": the SHA-256 of the public key in groups, for reading aloud over the phone.
QString groupedFingerprint(const Bytes& digest)
{
    const QString hex = QString::fromStdString(hexEncode(digest)).toUpper();
    QStringList groups;
    for (int i = 0; i < hex.size(); i += 4)
        groups << hex.mid(i, 4);
    return groups.join(QLatin1Char(' '));
}

std::string readText(const QString& path)
{
    std::ifstream in(path.toStdString(), std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

/// Overwrites a std::string's characters before it is released (passphrases).
void wipe(std::string& s)
{
    volatile char* p = s.data();
    for (size_t i = 0; i < s.size(); ++i)
        p[i] = 0;
    s.clear();
}

/// Why `passphrase` cannot protect a new key file (empty when it can): the engine's check, in the user's
/// language for the common case of a short one.
QString newPassphraseProblem(const QString& passphrase)
{
    std::string secret = passphrase.toStdString();
    const Status ok = checkNewPassphrase(secret);
    wipe(secret);
    if (ok)
        return {};
    if (size_t(passphrase.toUtf8().size()) > RsaKey::kMaximumPassphraseBytes)
        return errorText(ok.error());
    return KeyManagerDialog::tr("Choose a passphrase of at least %1 characters: it is all that protects "
                                "the private key file.")
        .arg(kMinimumPassphrase);
}

QString writeNew(const QString& path, const std::string& text, FileMode mode)
{
    if (QFileInfo::exists(path))
        return KeyManagerDialog::tr("%1 already exists; MedVeil never replaces a key file.").arg(path);
    const Status written = writeFileAtomically(path.toStdString(), toBytes(text), {}, mode);
    return written ? QString() : errorText(written.error());
}

} // namespace

KeyManagerDialog::KeyManagerDialog(QWidget* parent) : QDialog(parent)
{
    setWindowTitle(tr("Key Manager"));
    setObjectName(QStringLiteral("keyManager"));
    auto* layout = new QVBoxLayout(this);

    auto* generateBox = new QGroupBox(tr("Generate a key pair"), this);
    auto* form = new QFormLayout(generateBox);
    m_bits = new QComboBox(generateBox);
    for (int bits : {2048, 3072, 4096})
        m_bits->addItem(tr("RSA %1 bits").arg(bits), bits);
    m_bits->setCurrentIndex(1);
    m_bits->setToolTip(tr("RSA-OAEP key size; 3072 bits matches 128-bit security"));
    form->addRow(tr("Key size:"), m_bits);
    auto* folderRow = new QHBoxLayout;
    m_folder =
        new QLineEdit(QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation), generateBox);
    auto* browse = new QPushButton(tr("Browse…"), generateBox);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString dir =
            QFileDialog::getExistingDirectory(this, tr("Folder for the key files"), m_folder->text());
        if (!dir.isEmpty())
            m_folder->setText(dir);
    });
    folderRow->addWidget(m_folder);
    folderRow->addWidget(browse);
    form->addRow(tr("Folder:"), folderRow);
    m_name = new QLineEdit(QStringLiteral("medveil"), generateBox);
    m_name->setToolTip(tr("Files NAME.private.pem and NAME.public.pem are written"));
    form->addRow(tr("Name:"), m_name);
    m_passphrase = new QLineEdit(generateBox);
    m_passphrase->setEchoMode(QLineEdit::Password);
    m_passphrase->setToolTip(tr("Protects the private key file (AES-256, PBKDF2); at least %1 characters")
                                 .arg(kMinimumPassphrase));
    form->addRow(tr("Passphrase:"), m_passphrase);
    m_confirm = new QLineEdit(generateBox);
    m_confirm->setEchoMode(QLineEdit::Password);
    form->addRow(tr("Repeat passphrase:"), m_confirm);
    m_generate = new QPushButton(tr("&Generate"), generateBox);
    m_busy = new QProgressBar(generateBox);
    m_busy->setRange(0, 0);
    m_busy->setVisible(false);
    m_generateResult = new QLabel(generateBox);
    m_generateResult->setObjectName(QStringLiteral("generateResult"));
    m_generateResult->setWordWrap(true);
    m_generateResult->setTextInteractionFlags(Qt::TextSelectableByMouse);
    form->addRow(m_generate, m_busy);
    form->addRow(m_generateResult);
    connect(m_generate, &QPushButton::clicked, this, &KeyManagerDialog::startGeneration);
    layout->addWidget(generateBox);

    auto* inspectBox = new QGroupBox(tr("Key file"), this);
    auto* inspectLayout = new QVBoxLayout(inspectBox);
    auto* pathRow = new QHBoxLayout;
    m_inspectPath = new QLineEdit(inspectBox);
    m_inspectPath->setPlaceholderText(tr("a .pem file"));
    auto* open = new QPushButton(tr("Open…"), inspectBox);
    connect(open, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Open a key file"), m_folder->text(),
                                                          tr("PEM keys (*.pem);;All files (*)"));
        if (!path.isEmpty())
            inspect(path);
    });
    connect(m_inspectPath, &QLineEdit::editingFinished, this, [this] { inspect(m_inspectPath->text()); });
    pathRow->addWidget(m_inspectPath);
    pathRow->addWidget(open);
    inspectLayout->addLayout(pathRow);
    m_inspectResult = new QLabel(inspectBox);
    m_inspectResult->setWordWrap(true);
    m_inspectResult->setTextInteractionFlags(Qt::TextSelectableByMouse);
    inspectLayout->addWidget(m_inspectResult);
    auto* actions = new QHBoxLayout;
    m_useAsRecipient = new QPushButton(tr("Use as &Recipient Key"), inspectBox);
    m_useAsRecipient->setToolTip(tr("Protect and EMR Seal encrypt for this key"));
    m_useAsPrivate = new QPushButton(tr("Use as My &Private Key"), inspectBox);
    m_useAsPrivate->setToolTip(tr("Recover and EMR Open decrypt with this key"));
    m_exportPublic = new QPushButton(tr("&Export Public Key…"), inspectBox);
    m_changePassphrase = new QPushButton(tr("Change &Passphrase…"), inspectBox);
    m_trustSender = new QPushButton(tr("&Trust as Sender…"), inspectBox);
    m_trustSender->setToolTip(tr("Files signed with this key are shown as coming from a trusted sender"));
    m_useAsSigning = new QPushButton(tr("Use as My &Signing Key"), inspectBox);
    m_useAsSigning->setObjectName(QStringLiteral("useAsSigningKey"));
    m_useAsSigning->setToolTip(tr("Protect, EMR Seal and the series dialog sign with this private key, so "
                                  "that recipients can check who made the file"));
    for (QPushButton* b : {m_useAsRecipient, m_useAsPrivate, m_useAsSigning, m_exportPublic,
                           m_changePassphrase, m_trustSender}) {
        b->setEnabled(false);
        actions->addWidget(b);
    }
    inspectLayout->addLayout(actions);
    connect(m_useAsRecipient, &QPushButton::clicked, this, [this] {
        AppSettings::setValue(AppSettings::Key::RecipientPublicKey, m_inspectPath->text());
        Q_EMIT recipientKeyChosen(m_inspectPath->text());
    });
    connect(m_useAsPrivate, &QPushButton::clicked, this, [this] {
        AppSettings::setValue(AppSettings::Key::PrivateKeyPath, m_inspectPath->text());
        Q_EMIT privateKeyChosen(m_inspectPath->text());
    });
    connect(m_useAsSigning, &QPushButton::clicked, this, [this] {
        SenderKey::instance()->setPath(m_inspectPath->text());
        Q_EMIT signingKeyChosen(m_inspectPath->text());
    });
    m_signingKey = new QLabel(inspectBox);
    m_signingKey->setObjectName(QStringLiteral("signingKeyLabel"));
    m_signingKey->setWordWrap(true);
    const auto showSigningKey = [this](const QString& path) {
        m_signingKey->setText(path.isEmpty() ? tr("Signing key: none (files you make are not signed)")
                                             : tr("Signing key: %1").arg(path));
    };
    showSigningKey(SenderKey::instance()->path());
    connect(SenderKey::instance(), &SenderKey::changed, m_signingKey, showSigningKey);
    inspectLayout->addWidget(m_signingKey);
    connect(m_exportPublic, &QPushButton::clicked, this, &KeyManagerDialog::exportPublicKey);
    connect(m_changePassphrase, &QPushButton::clicked, this, &KeyManagerDialog::changePassphrase);
    connect(m_trustSender, &QPushButton::clicked, this, [this] {
        bool ok = false;
        const QString name = QInputDialog::getText(
            this, tr("Trust as Sender"), tr("Name of the sender (shown when a file is signed by this key):"),
            QLineEdit::Normal, QFileInfo(m_inspectPath->text()).baseName(), &ok);
        if (ok)
            trustInspectedKey(name);
    });
    layout->addWidget(inspectBox);

    // Whose signatures mean something to this user: recovery and EMR opening name them.
    auto* sendersBox = new QGroupBox(tr("Trusted senders"), this);
    auto* sendersLayout = new QVBoxLayout(sendersBox);
    m_senders = new QListWidget(sendersBox);
    m_senders->setObjectName(QStringLiteral("trustedSenders"));
    sendersLayout->addWidget(m_senders);
    auto* removeSender = new QPushButton(tr("&Remove Sender"), sendersBox);
    removeSender->setEnabled(false);
    connect(m_senders, &QListWidget::currentRowChanged, removeSender,
            [removeSender](int row) { removeSender->setEnabled(row >= 0); });
    connect(removeSender, &QPushButton::clicked, this,
            [this] { removeTrustedSender(m_senders->currentRow()); });
    sendersLayout->addWidget(removeSender, 0, Qt::AlignRight);
    layout->addWidget(sendersBox);
    refreshSenders();

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    // Enter in a text field must not press the first button of the dialog (it opened the folder browser):
    // no button is an auto-default; Enter in the key-file field inspects the file typed there.
    for (QPushButton* b : findChildren<QPushButton*>())
        b->setAutoDefault(false);
}

KeyManagerDialog::~KeyManagerDialog()
{
    if (m_job)
        m_job->cancel();
}

void KeyManagerDialog::done(int result)
{
    // Passphrases do not outlive the dialog's use.
    m_passphrase->clear();
    m_confirm->clear();
    QDialog::done(result);
}

void KeyManagerDialog::startGeneration()
{
    if (m_passphrase->text() != m_confirm->text()) {
        m_generateResult->setText(tr("The two passphrases differ."));
        return;
    }
    generate(m_folder->text(), m_name->text().trimmed(), m_bits->currentData().toInt(), m_passphrase->text());
}

void KeyManagerDialog::generate(const QString& folder, const QString& name, int bits,
                                const QString& passphrase)
{
    auto fail = [this](const QString& message) {
        m_generateResult->setText(message);
        Q_EMIT failed(message);
    };
    if (const QString problem = newPassphraseProblem(passphrase); !problem.isEmpty())
        return fail(problem);
    if (name.isEmpty() || name.contains(QLatin1Char('/')))
        return fail(tr("Give the key files a name (no slashes)."));
    // The default folder (~/Documents) need not exist on a fresh account: create it (owner-only).
    if (!QFileInfo(folder).isDir() && !QDir().mkpath(folder))
        return fail(tr("The folder %1 does not exist and cannot be created.").arg(folder));
    const QString privatePath = QDir(folder).filePath(name + QStringLiteral(".private.pem"));
    const QString publicPath = QDir(folder).filePath(name + QStringLiteral(".public.pem"));
    for (const QString& path : {privatePath, publicPath})
        if (QFileInfo::exists(path))
            return fail(tr("%1 already exists; MedVeil never replaces a key file.").arg(path));
    m_generate->setEnabled(false);
    m_busy->setVisible(true);
    m_generateResult->setText(tr("Generating an RSA-%1 key pair…").arg(bits));
    std::string secret = passphrase.toStdString();
    m_job = BackgroundJob<Generated>::start(
        this,
        [bits, privatePath, publicPath, secret](const JobControl&) mutable {
            Generated out;
            workflow::KeyPairRequest request;
            request.privatePath = QFile::encodeName(privatePath).toStdString();
            request.publicPath = QFile::encodeName(publicPath).toStdString();
            request.bits = bits;
            request.passphrase = secret;
            wipe(secret);
            auto created = workflow::createKeyPair(request);
            wipe(*request.passphrase);
            if (!created) {
                out.error = errorText(created.error());
                return out;
            }
            out.privatePath = privatePath;
            out.publicPath = publicPath;
            out.fingerprint = groupedFingerprint(created->fingerprint);
            out.bits = bits;
            return out;
        },
        [this](Generated g) {
            m_generate->setEnabled(true);
            m_busy->setVisible(false);
            m_passphrase->clear();
            m_confirm->clear();
            if (!g.error.isEmpty()) {
                m_generateResult->setText(g.error);
                Q_EMIT failed(g.error);
                return;
            }
            m_lastPrivate = g.privatePath;
            m_lastPublic = g.publicPath;
            m_generateResult->setText(
                tr("Wrote %1 (private, passphrase-protected, readable only by you) and %2 "
                   "(public: give it to whoever sends you protected images).\nFingerprint: %3")
                    .arg(g.privatePath, g.publicPath, g.fingerprint));
            inspect(g.privatePath);
            // The whole message, not a clipped first line: the wrapped label asks for its height.
            m_generateResult->setMinimumHeight(m_generateResult->heightForWidth(m_generateResult->width()));
            layout()->activate();
            adjustSize();
            Q_EMIT generated(g.privatePath, g.publicPath);
        });
}

void KeyManagerDialog::inspect(const QString& path)
{
    m_inspectPath->setText(path);
    for (QPushButton* b : {m_useAsRecipient, m_useAsPrivate, m_useAsSigning, m_exportPublic,
                           m_changePassphrase, m_trustSender})
        b->setEnabled(false);
    m_inspectedFingerprint.clear();
    m_inspectedPublicPem.clear();
    const std::string pem = readText(path);
    if (pem.empty()) {
        m_inspectResult->setText(tr("Cannot read %1.").arg(path));
        return;
    }
    const bool encrypted = pem.find("ENCRYPTED PRIVATE KEY") != std::string::npos;
    const bool isPrivate = encrypted || pem.find("PRIVATE KEY") != std::string::npos;
    m_inspectedIsPrivate = isPrivate;
    if (encrypted) {
        // The public half of an encrypted PKCS#8 file is inside the encryption: size and fingerprint need
        // the passphrase, which is asked only for Export / Change Passphrase.
        m_inspectResult->setText(tr("Private key, encrypted with a passphrase."));
    } else {
        auto key = RsaKey::fromPem(pem);
        if (!key) {
            m_inspectResult->setText(tr("Not an RSA key MedVeil can use: %1").arg(errorText(key.error())));
            return;
        }
        const QString kind =
            key->hasPrivate() ? tr("Private key, NOT protected by a passphrase") : tr("Public key");
        m_inspectedFingerprint = QString::fromStdString(hexEncode(*key->fingerprint()));
        if (!key->hasPrivate())
            m_inspectedPublicPem = pem;
        m_inspectResult->setText(tr("%1, RSA %2 bits.\nFingerprint (SHA-256): %3")
                                     .arg(kind)
                                     .arg(key->bits())
                                     .arg(groupedFingerprint(*key->fingerprint())));
    }
    // Protect and Seal encrypt for a public key: a private key file here would only fail after the Save
    // dialog. Export its public half first.
    m_useAsRecipient->setEnabled(!isPrivate);
    m_useAsRecipient->setToolTip(isPrivate
                                     ? tr("This is a private key: export its public key and choose that")
                                     : tr("Protect and EMR Seal encrypt for this key"));
    m_useAsPrivate->setEnabled(isPrivate);
    m_useAsSigning->setEnabled(isPrivate);
    m_exportPublic->setEnabled(isPrivate);
    m_changePassphrase->setEnabled(isPrivate);
    // A sender is trusted by the public key they sent (never one's own private key file).
    m_trustSender->setEnabled(!isPrivate && !m_inspectedFingerprint.isEmpty());
}

bool KeyManagerDialog::trustInspectedKey(const QString& name)
{
    const QString trimmed = name.trimmed();
    if (m_inspectedFingerprint.isEmpty() || m_inspectedIsPrivate || trimmed.isEmpty())
        return false;
    // Kept with its PEM in the trusted-sender file that medveil-cli --verify-trusted reads too.
    auto key = RsaKey::fromPem(m_inspectedPublicPem);
    const bool trusted = key && TrustedSenders::trust(*key, trimmed);
    refreshSenders();
    if (!trusted)
        QMessageBox::warning(this, tr("Trust as Sender"),
                             key ? TrustedSenders::problem() : errorText(key.error()));
    return trusted;
}

void KeyManagerDialog::removeTrustedSender(int row)
{
    if (row < 0 || row >= m_senders->count())
        return;
    if (!TrustedSenders::forget(m_senders->item(row)->data(Qt::UserRole).toString()))
        QMessageBox::warning(this, tr("Remove Sender"), TrustedSenders::problem());
    refreshSenders();
}

QStringList KeyManagerDialog::trustedSenders() const
{
    QStringList names;
    for (int i = 0; i < m_senders->count(); ++i)
        names << m_senders->item(i)->text();
    return names;
}

void KeyManagerDialog::refreshSenders()
{
    m_senders->clear();
    const auto senders = TrustedSenders::all();
    for (auto it = senders.begin(); it != senders.end(); ++it) {
        auto* item = new QListWidgetItem(
            tr("%1 — SHA-256 %2").arg(it.value(), TrustedSenders::shortFingerprint(it.key())), m_senders);
        item->setData(Qt::UserRole, it.key());
        item->setToolTip(it.key());
    }
    // A damaged list file is shown, not silently taken for an empty one.
    if (!TrustedSenders::problem().isEmpty())
        new QListWidgetItem(TrustedSenders::problem(), m_senders);
    // Whole rows only, two to five of them (more scroll by whole rows): a fixed height in pixels cut the
    // last sender's fingerprint line in half. Rows differ in height (a Chinese name takes another font).
    constexpr int kShownRows = 5;
    const int rows = std::clamp(int(m_senders->count()), 2, kShownRows);
    int rowsHeight = 0;
    for (int row = 0; row < rows; ++row)
        rowsHeight +=
            row < m_senders->count() ? m_senders->sizeHintForRow(row) : m_senders->fontMetrics().height();
    m_senders->setVerticalScrollMode(QAbstractItemView::ScrollPerItem);
    m_senders->setFixedHeight(rowsHeight + 2 * m_senders->frameWidth());
}

QString KeyManagerDialog::inspectedSummary() const
{
    return m_inspectResult->text();
}

QString KeyManagerDialog::askPassphrase(const QString& title, const QString& prompt, bool confirm)
{
    bool ok = false;
    const QString first = QInputDialog::getText(this, title, prompt, QLineEdit::Password, {}, &ok);
    if (!ok)
        return {};
    if (confirm) {
        const QString second = QInputDialog::getText(this, title, tr("Repeat the new passphrase:"),
                                                     QLineEdit::Password, {}, &ok);
        if (!ok || second != first) {
            QMessageBox::warning(this, title, tr("The two passphrases differ; nothing was changed."));
            return {};
        }
    }
    return first;
}

void KeyManagerDialog::exportPublicKey()
{
    const QString path = m_inspectPath->text();
    std::optional<std::string> passphrase;
    const std::string pem = readText(path);
    if (pem.find("ENCRYPTED") != std::string::npos) {
        const QString p = askPassphrase(tr("Export Public Key"),
                                        tr("Passphrase of %1:").arg(QFileInfo(path).fileName()), false);
        if (p.isEmpty())
            return;
        passphrase = p.toStdString();
    }
    auto key = RsaKey::fromPem(pem, passphrase);
    if (passphrase)
        wipe(*passphrase);
    if (!key) {
        QMessageBox::warning(this, tr("Export Public Key"), errorText(key.error()));
        return;
    }
    const QString target = QFileDialog::getSaveFileName(
        this, tr("Save the public key"), QFileInfo(path).dir().filePath(QStringLiteral("public.pem")),
        tr("PEM keys (*.pem)"));
    if (target.isEmpty())
        return;
    const QString error = writeNew(target, *key->publicPem(), FileMode::Default);
    if (!error.isEmpty())
        QMessageBox::warning(this, tr("Export Public Key"), error);
    else
        inspect(target);
}

void KeyManagerDialog::changePassphrase()
{
    const QString path = m_inspectPath->text();
    std::optional<std::string> current;
    const std::string pem = readText(path);
    if (pem.find("ENCRYPTED") != std::string::npos) {
        const QString p = askPassphrase(tr("Change Passphrase"), tr("Current passphrase:"), false);
        if (p.isEmpty())
            return;
        current = p.toStdString();
    }
    auto key = RsaKey::fromPem(pem, current);
    if (current)
        wipe(*current);
    if (!key) {
        QMessageBox::warning(this, tr("Change Passphrase"), errorText(key.error()));
        return;
    }
    const QString next = askPassphrase(tr("Change Passphrase"), tr("New passphrase:"), true);
    if (next.isEmpty())
        return;
    if (const QString problem = newPassphraseProblem(next); !problem.isEmpty()) {
        QMessageBox::warning(this, tr("Change Passphrase"), problem);
        return;
    }
    std::string secret = next.toStdString();
    auto reencrypted = key->privatePem(secret);
    wipe(secret);
    // Replacing the file is the point here, so write atomically over it (and only it).
    const Status written =
        reencrypted ? writeFileAtomically(path.toStdString(), toBytes(*reencrypted), {}, FileMode::Private)
                    : Status(reencrypted.error());
    if (!written)
        QMessageBox::warning(this, tr("Change Passphrase"), errorText(written.error()));
    else
        inspect(path);
}

} // namespace medveil::ui
