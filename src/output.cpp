#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <system_error>

#include <fmt/format.h>

#include "trialstats/core/error.hpp"
#include "trialstats/render/output.hpp"

namespace trialstats::render {

void write_output(const std::string& path, const std::string& content, const std::vector<std::string>& inputs) {
  namespace fs = std::filesystem;
  if (path.empty() || path == "-") {
    std::cout << content;
    std::cout.flush();
    return;
  }
  std::error_code ec;
  for (const auto& input : inputs) {
    if (input == "-") continue;
    if (fs::exists(path, ec) && fs::equivalent(path, input, ec))
      throw UsageError(fmt::format("refusing to write the output over the input file '{}'", input));
  }
  const fs::path target(path);
  const fs::path folder = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::random_device rd;
  const fs::path temp = folder / fmt::format(".{}.{:08x}.tmp", target.filename().string(), rd());
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    if (!out) throw UsageError(fmt::format("cannot write the output file '{}': {}", path, std::strerror(errno)));
    out << content;
    out.flush();
    if (!out) {
      fs::remove(temp, ec);
      throw UsageError(fmt::format("cannot write the output file '{}'", path));
    }
  }
  fs::rename(temp, target, ec);
  if (ec) {
    const std::string reason = ec.message();
    fs::remove(temp, ec);
    throw UsageError(fmt::format("cannot write the output file '{}': {}", path, reason));
  }
}

}  // namespace trialstats::render
