// SPDX-License-Identifier: GPL-3.0-or-later
#include "Resources.h"

#include <QtCore/qglobal.h>

// Q_INIT_RESOURCE must be used outside any namespace; resources in a static library are not
// registered until this runs.
static void registerMedveilResources()
{
    Q_INIT_RESOURCE(resources);
}

void medveil::ui::ensureResources()
{
    static const bool once = [] {
        registerMedveilResources();
        return true;
    }();
    (void)once;
}
