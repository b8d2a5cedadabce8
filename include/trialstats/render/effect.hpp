// Rendering the effect sizes of `trialstats effect`: the input table with yi, vi, sei, ci_lb and
// ci_ub appended (and the back-transformed values when asked), as text, Markdown, CSV or JSON.
#pragma once

#include <string>

#include "trialstats/effect/measure.hpp"
#include "trialstats/io/effect_table.hpp"
#include "trialstats/io/table.hpp"
#include "trialstats/render/format.hpp"
#include "trialstats/render/grid.hpp"

namespace trialstats::render {

/// The input table with the computed columns appended; NA for rows without an effect size.
/// Text and Markdown show `style.digits` decimals, CSV full precision.
[[nodiscard]] Grid effect_grid(const io::Table& table, const io::EffectColumns& columns, const RenderStyle& style);

/// The whole output in `style.format`: text (provenance line, a legend, the grid), Markdown, CSV
/// (provenance line, the grid), or JSON (full precision, snake_case keys, a "warnings" array).
[[nodiscard]] std::string render_effect(const io::Table& table, const io::EffectTable& effects,
                                        const io::EffectColumns& columns, const effect::EscalcOptions& options,
                                        const RenderStyle& style);

}  // namespace trialstats::render
