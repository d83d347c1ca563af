// SPDX-License-Identifier: GPL-3.0-or-later
#include "KeyPathField.h"

#include "AppSettings.h"

#include <QFileDialog>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>

namespace medveil::ui {

namespace {

/// Every live field (the GUI thread only): a choice reaches the other fields of its role.
QList<QPointer<KeyPathField>>& liveFields()
{
    static QList<QPointer<KeyPathField>> fields;
    return fields;
}

AppSettings::Key settingOf(KeyPathField::Role role)
{
    return role == KeyPathField::Role::RecipientPublic ? AppSettings::Key::RecipientPublicKey
                                                       : AppSettings::Key::PrivateKeyPath;
}

} // namespace

KeyPathField::KeyPathField(Role role, const QString& placeholder, QWidget* parent)
    : QWidget(parent), m_role(role)
{
    setObjectName(role == Role::RecipientPublic ? QStringLiteral("recipientKey")
                                                : QStringLiteral("privateKey"));
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_edit = new QLineEdit(AppSettings::value(settingOf(role)).toString(), this);
    m_edit->setPlaceholderText(placeholder);
    auto* browse = new QPushButton(tr("…"), this);
    const bool recipient = role == Role::RecipientPublic;
    browse->setToolTip(recipient ? tr("Choose the recipient's public key") : tr("Choose your private key"));
    connect(browse, &QPushButton::clicked, this, [this, recipient] {
        const QString chosen = QFileDialog::getOpenFileName(
            this, recipient ? tr("Recipient public key") : tr("Private key"), QString(),
            recipient ? tr("PEM keys (*.pem *.pub);;All files (*)") : tr("PEM keys (*.pem);;All files (*)"));
        if (!chosen.isEmpty())
            setPath(chosen);
    });
    connect(m_edit, &QLineEdit::textChanged, this, &KeyPathField::pathChanged);
    layout->addWidget(m_edit, 1);
    layout->addWidget(browse);
    setFocusProxy(m_edit);
    liveFields().removeAll(nullptr);
    liveFields().append(this);
}

QString KeyPathField::path() const
{
    return m_edit->text();
}

void KeyPathField::setPath(const QString& path)
{
    AppSettings::setValue(settingOf(m_role), path);
    liveFields().removeAll(nullptr);
    for (const QPointer<KeyPathField>& field : std::as_const(liveFields()))
        if (field->m_role == m_role)
            field->m_edit->setText(path);
}

} // namespace medveil::ui
