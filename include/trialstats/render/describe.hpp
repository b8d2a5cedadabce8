// Rendering `trialstats describe`: one row per column of the input table.
#pragma once

#include <string>

#include "trialstats/io/describe.hpp"
#include "trialstats/render/format.hpp"
#include "trialstats/render/grid.hpp"

namespace trialstats::render {

/// column, type, present, missing, min, max, first values; numbers in their shortest round-trip
/// form (as read; `digits` does not apply), first values joined by "; ".
[[nodiscard]] Grid describe_grid(const io::TableSummary& summary);

/// The whole output in `style.format`: text (provenance line, a legend, the grid, a note per text
/// column that also holds numbers), Markdown (the grid and the notes), CSV (provenance line, the
/// grid), or JSON (snake_case keys, null for absent values, a "warnings" array).
[[nodiscard]] std::string render_describe(const io::TableSummary& summary, const RenderStyle& style);

}  // namespace trialstats::render
