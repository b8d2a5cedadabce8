// Writing results: to standard output, or to a file atomically (a temporary file in the same
// folder, then a rename), never over an input file and never leaving a partial file behind.
#pragma once

#include <string>
#include <vector>

namespace trialstats::render {

/// Writes `content` to `path` atomically, or to standard output when `path` is empty or "-".
/// Throws UsageError when `path` names one of `inputs` (also through another spelling or a link),
/// and when the file cannot be written; then neither `path` nor a temporary file is left changed.
void write_output(const std::string& path, const std::string& content, const std::vector<std::string>& inputs = {});

}  // namespace trialstats::render
