// SPDX-License-Identifier: GPL-3.0-or-later
#include "PreferencesDialog.h"

#include "AppSettings.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QVBoxLayout>

namespace medveil::ui {

PreferencesDialog::PreferencesDialog(QWidget* parent) : QDialog(parent)
{
    setWindowTitle(tr("Preferences"));
    auto* layout = new QVBoxLayout(this);
    auto* form = new QFormLayout;
    m_language = new QComboBox(this);
    m_language->addItem(tr("System default"), QString());
    // Each language is named in itself, so a user can find theirs whatever the current UI language.
    m_language->addItem(QStringLiteral("English"), QStringLiteral("en"));
    m_language->addItem(QStringLiteral("简体中文"), QStringLiteral("zh_CN"));
    const int current = m_language->findData(AppSettings::value(AppSettings::Key::Language).toString());
    m_language->setCurrentIndex(std::max(0, current));
    form->addRow(tr("&Language:"), m_language);
    m_rememberRecent = new QCheckBox(tr("Remember recently opened file names"), this);
    m_rememberRecent->setChecked(AppSettings::rememberRecentFiles());
    m_rememberRecent->setToolTip(
        tr("File names can identify patients; turn this off on shared workstations"));
    form->addRow(m_rememberRecent);
    layout->addLayout(form);
    m_restartNote = new QLabel(tr("A new language takes effect when MedVeil is started again."), this);
    m_restartNote->setWordWrap(true);
    m_restartNote->setVisible(false);
    layout->addWidget(m_restartNote);
    connect(m_language, &QComboBox::currentIndexChanged, this, [this] {
        m_restartNote->setVisible(m_language->currentData().toString() !=
                                  AppSettings::value(AppSettings::Key::Language).toString());
    });
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        apply();
        accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
}

void PreferencesDialog::apply()
{
    AppSettings::setValue(AppSettings::Key::Language, m_language->currentData().toString());
    if (m_rememberRecent->isChecked() != AppSettings::rememberRecentFiles())
        AppSettings::setRememberRecentFiles(m_rememberRecent->isChecked());
}

} // namespace medveil::ui
