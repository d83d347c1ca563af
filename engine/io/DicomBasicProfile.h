// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <cstdint>
#include <string_view>
#include <vector>

namespace medveil {

/// One row of DICOM PS3.15 Table E.1-1 (the Basic Application Level Confidentiality Profile), compiled in
/// from engine/io/data/ps3.15-table-e1-1.tsv.
struct BasicProfileEntry
{
    std::uint16_t group = 0, element = 0;
    std::uint16_t groupMask = 0xFFFF, elementMask = 0xFFFF; ///< 0xFF00 where the table writes "xx"
    bool anyPrivate = false;                                ///< the "(gggg,eeee) where gggg is odd" row
    std::string_view action;                                ///< "X", "Z", "X/Z/D", "X/Z/U*", …
    std::string_view name;                                  ///< the table's attribute name

    [[nodiscard]] bool matches(std::uint16_t g, std::uint16_t e) const
    {
        if (anyPrivate)
            return (g & 1) != 0;
        return (g & groupMask) == group && (e & elementMask) == element;
    }
    /// True when `code` (X, Z, D, U, C) is one of the row's choices.
    [[nodiscard]] bool allows(char code) const { return action.find(code) != std::string_view::npos; }
};

/// Every row of the table (621 in PS3.15 2025a), in tag order.
const std::vector<BasicProfileEntry>& basicProfile();

/// The row an attribute falls under (exact tag, then repeating groups, then private groups), or nullptr
/// when the profile keeps it.
const BasicProfileEntry* basicProfileEntry(std::uint16_t group, std::uint16_t element);

} // namespace medveil
