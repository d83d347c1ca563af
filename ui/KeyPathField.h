// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

class QLineEdit;

namespace medveil::ui {

/// A key file chosen by the user: a path field and a "…" button opening a file dialog. The last choice
/// is remembered (AppSettings) and offered again in every tab that needs a key of the same role.
class KeyPathField : public QWidget
{
    Q_OBJECT

public:
    enum class Role
    {
        RecipientPublic, ///< who may recover or open: protect and seal for them
        OwnPrivate,      ///< the user's own key: recover and open with it
    };

    KeyPathField(Role role, const QString& placeholder, QWidget* parent = nullptr);

    [[nodiscard]] QString path() const;
    /// Shows and remembers `path`, in this field and in every other field of the same role (the
    /// recipient chosen on the Protect tab is the one the EMR tab seals for).
    void setPath(const QString& path);

Q_SIGNALS:
    /// The path changed (typed, chosen, or set from another field of the role).
    void pathChanged();

private:
    Role m_role;
    QLineEdit* m_edit = nullptr;
};

} // namespace medveil::ui
