// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QObject>
#include <QRect>

class QUndoStack;

namespace medveil::ui {

/// The key regions of one image as the user edits them: the QR code's region and the further ones.
struct RegionState
{
    QRect primary;
    QList<QRect> extras;
    bool operator==(const RegionState&) const = default;
};

/// Undo and redo of region edits (Edit ▸ Undo / Redo): every move or resize, added or removed further
/// region and "Next candidate" is one step. Opening another image starts a fresh history.
class RegionHistory : public QObject
{
    Q_OBJECT

public:
    explicit RegionHistory(QObject* parent = nullptr);

    /// The stack behind Edit ▸ Undo / Redo (its actions come from createUndoAction/createRedoAction).
    [[nodiscard]] QUndoStack* stack() const { return m_stack; }
    /// A new image (or none): no history, `state` is where it starts.
    void reset(const RegionState& state = {});
    /// The user changed the regions to `after`: one undo step back to the state before (none if equal).
    void record(const RegionState& after);
    [[nodiscard]] const RegionState& current() const { return m_current; }

Q_SIGNALS:
    /// Undo or redo moved to `state`: show it (the canvas and the list) and preview it.
    void restore(const medveil::ui::RegionState& state);

private:
    friend class RegionEditCommand;
    void apply(const RegionState& state);

    QUndoStack* m_stack;
    RegionState m_current;
};

} // namespace medveil::ui
