// SPDX-License-Identifier: GPL-3.0-or-later
#include "RegionHistory.h"

#include <QUndoCommand>
#include <QUndoStack>

namespace medveil::ui {

/// One edit: the regions before and after it.
class RegionEditCommand final : public QUndoCommand
{
public:
    RegionEditCommand(RegionHistory* history, RegionState before, RegionState after)
        : QUndoCommand(describe(before, after)), m_history(history), m_before(std::move(before)),
          m_after(std::move(after))
    {}
    void undo() override { m_history->apply(m_before); }
    void redo() override
    {
        if (m_pushed) // QUndoStack::push() redoes at once: the canvas already shows `after` then
            m_history->apply(m_after);
        m_pushed = true;
    }

private:
    static QString describe(const RegionState& before, const RegionState& after)
    {
        if (after.extras.size() > before.extras.size())
            return RegionHistory::tr("Add Region");
        if (after.extras.size() < before.extras.size())
            return RegionHistory::tr("Remove Region");
        return RegionHistory::tr("Move Region");
    }

    RegionHistory* m_history;
    RegionState m_before, m_after;
    bool m_pushed = false;
};

RegionHistory::RegionHistory(QObject* parent) : QObject(parent), m_stack(new QUndoStack(this)) {}

void RegionHistory::reset(const RegionState& state)
{
    m_stack->clear();
    m_current = state;
}

void RegionHistory::record(const RegionState& after)
{
    if (after == m_current)
        return;
    RegionState before = m_current;
    m_current = after;
    m_stack->push(new RegionEditCommand(this, std::move(before), after)); // the stack owns it
}

void RegionHistory::apply(const RegionState& state)
{
    m_current = state;
    Q_EMIT restore(state);
}

} // namespace medveil::ui
