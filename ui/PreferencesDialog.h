// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDialog>

class QComboBox;
class QCheckBox;
class QLabel;

namespace medveil::ui {

/// Edit ▸ Preferences: the UI language (applied at the next start) and whether recent file names are
/// remembered. Everything it stores goes through AppSettings.
class PreferencesDialog : public QDialog
{
    Q_OBJECT

public:
    explicit PreferencesDialog(QWidget* parent = nullptr);

    /// Stores the choices (the OK button).
    void apply();
    [[nodiscard]] QComboBox* languageBox() const { return m_language; }

private:
    QComboBox* m_language = nullptr;
    QCheckBox* m_rememberRecent = nullptr;
    QLabel* m_restartNote = nullptr;
};

} // namespace medveil::ui
