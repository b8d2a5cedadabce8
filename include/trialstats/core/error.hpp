// Errors of trialstats: one small tree, each kind mapped to one exit code by the command-line tool.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <utility>

namespace trialstats {

/// Exit codes of the `trialstats` executable (DESIGN.md, CLI contract).
enum class ExitCode : int {
  ok = 0,           ///< done
  check_failed = 1, ///< a check did not hold (reproduce/check mismatches, --fail-if)
  usage = 2,        ///< the command line is wrong
  input = 3,        ///< the input data are wrong
  no_result = 4,    ///< no result is possible (every study dropped, no convergence)
  internal = 70,    ///< a defect of trialstats
};

/// Where a value came from: 1-based line and character column; line 1 is a CSV's header.
struct SourcePos {
  std::string file;
  std::size_t line = 0;
  std::size_t column = 0;
};

/// Base of every error trialstats throws on purpose.
class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
  [[nodiscard]] virtual ExitCode exit_code() const noexcept { return ExitCode::internal; }
};

/// Bad input data, with the position of the offending cell.
/// `what()` reads like a compiler error: `trials.csv:7:3: vi must be positive, got "-0.2"`.
class InputError : public Error {
 public:
  InputError(SourcePos pos, const std::string& message)
      : Error(format_position(pos) + message), pos_(std::move(pos)), message_(message) {}
  [[nodiscard]] const SourcePos& pos() const noexcept { return pos_; }
  [[nodiscard]] const std::string& message() const noexcept { return message_; }
  [[nodiscard]] ExitCode exit_code() const noexcept override { return ExitCode::input; }

 private:
  static std::string format_position(const SourcePos& pos) {
    if (pos.file.empty()) return {};
    std::string out = pos.file + ':';
    if (pos.line > 0) out += std::to_string(pos.line) + ':';
    if (pos.column > 0) out += std::to_string(pos.column) + ':';
    return out + ' ';
  }
  SourcePos pos_;
  std::string message_;
};

/// A value outside the domain of a computation (thrown by the checks of core/checks.hpp);
/// input data error for the command-line tool.
class DomainError : public Error {
 public:
  using Error::Error;
  [[nodiscard]] ExitCode exit_code() const noexcept override { return ExitCode::input; }
};

/// Options that contradict each other or do not apply (e.g. Mantel–Haenszel with a continuous measure).
class UsageError : public Error {
 public:
  using Error::Error;
  [[nodiscard]] ExitCode exit_code() const noexcept override { return ExitCode::usage; }
};

/// The data are valid but no result can be computed (k = 0 after dropping rows, no convergence).
class NoResultError : public Error {
 public:
  using Error::Error;
  [[nodiscard]] ExitCode exit_code() const noexcept override { return ExitCode::no_result; }
};

}  // namespace trialstats
