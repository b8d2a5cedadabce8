// core/error.hpp: what() reads like a compiler error; every kind maps to its exit code.
#include <doctest/doctest.h>

#include <string>

#include "trialstats/core/error.hpp"

using namespace trialstats;

TEST_SUITE("core::error") {

TEST_CASE("InputError::what(): file:line:column: message, leaving out the parts that are 0 or empty") {
  CHECK(std::string(InputError({"trials.csv", 7, 3}, "vi must be positive").what()) ==
        "trials.csv:7:3: vi must be positive");
  CHECK(std::string(InputError({"trials.csv", 1, 0}, "no column 'vi'").what()) == "trials.csv:1: no column 'vi'");
  CHECK(std::string(InputError({"trials.csv", 0, 0}, "cannot open the file").what()) ==
        "trials.csv: cannot open the file");
  CHECK(std::string(InputError({"", 4, 2}, "bare").what()) == "bare");
}

TEST_CASE("InputError keeps its position and its message apart") {
  const InputError e({"t.csv", 12, 5}, "column 'yi': expected a number, got \"x\"");
  CHECK(e.pos().file == "t.csv");
  CHECK(e.pos().line == 12);
  CHECK(e.pos().column == 5);
  CHECK(e.message() == "column 'yi': expected a number, got \"x\"");
}

TEST_CASE("every error kind has its exit code (DESIGN.md)") {
  CHECK(InputError({"f", 1, 1}, "m").exit_code() == ExitCode::input);
  CHECK(DomainError("m").exit_code() == ExitCode::input);
  CHECK(UsageError("m").exit_code() == ExitCode::usage);
  CHECK(NoResultError("m").exit_code() == ExitCode::no_result);
  CHECK(Error("m").exit_code() == ExitCode::internal);
  CHECK(static_cast<int>(ExitCode::ok) == 0);
  CHECK(static_cast<int>(ExitCode::check_failed) == 1);
  CHECK(static_cast<int>(ExitCode::usage) == 2);
  CHECK(static_cast<int>(ExitCode::input) == 3);
  CHECK(static_cast<int>(ExitCode::no_result) == 4);
  CHECK(static_cast<int>(ExitCode::internal) == 70);
  CHECK(std::string(UsageError("bad option").what()) == "bad option");
}

TEST_CASE("the kinds are caught as Error and as std::runtime_error") {
  CHECK_THROWS_AS(throw DomainError("x"), Error);
  CHECK_THROWS_AS(throw InputError({"f", 1, 1}, "x"), Error);
  CHECK_THROWS_AS(throw NoResultError("x"), std::runtime_error);
}

}  // TEST_SUITE
