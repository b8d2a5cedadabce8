// Reading in two halves (CsvOptions::split_from_bytes): the same table, cell positions and errors
// as reading in one piece, for text in memory and for files, with quoted line breaks near the
// middle (where the split is not a record boundary) and text that starts in either half.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <random>
#include <string>
#include <unistd.h>

#include "trialstats/io/csv.hpp"

using trialstats::InputError;
using namespace trialstats::io;

namespace {

const CsvOptions whole{.delimiter = 0, .columns = {}, .split_from_bytes = 0};
const CsvOptions halves{.delimiter = 0, .columns = {}, .split_from_bytes = 1};

// Every cell, its kind, text and position, and every row's line.
void check_same(const Table& a, const Table& b) {
  REQUIRE(a.names() == b.names());
  REQUIRE(a.rows() == b.rows());
  bool lines = true;
  for (std::size_t r = 0; r < a.rows(); ++r) lines = lines && a.line(r) == b.line(r);
  CHECK(lines);
  for (std::size_t c = 0; c < a.cols(); ++c) {
    const Column& x = a.columns()[c];
    const Column& y = b.columns()[c];
    CAPTURE(x.name());
    CHECK(x.is_numeric() == y.is_numeric());
    bool same = true;
    for (std::size_t r = 0; r < a.rows(); ++r) {
      const double u = x.numbers()[r], v = y.numbers()[r];
      same = same && (std::isnan(u) ? std::isnan(v) : std::memcmp(&u, &v, sizeof u) == 0);
      same = same && x.is_missing(r) == y.is_missing(r) && x.text(r) == y.text(r);
      const trialstats::SourcePos p = x.pos(r), q = y.pos(r);
      same = same && p.file == q.file && p.line == q.line && p.column == q.column;
    }
    CHECK(same);
  }
}

void check_both_ways(const std::string& text, CsvOptions split = halves) {
  CsvOptions one = split;
  one.split_from_bytes = 0;
  check_same(parse_csv(text, "t.csv", one), parse_csv(text, "t.csv", split));
}

std::optional<InputError> error_of(const std::string& text, const CsvOptions& options) {
  try {
    (void)parse_csv(text, "t.csv", options);
  } catch (const InputError& e) {
    return e;
  }
  return std::nullopt;
}

std::string numbers(std::size_t rows, unsigned seed) {
  std::mt19937_64 gen(seed);
  std::string s = "id,a,b\n";
  for (std::size_t i = 0; i < rows; ++i) {
    s += std::to_string(i + 1) + ',';
    s += gen() % 13 == 0 ? "NA" : std::to_string(static_cast<double>(gen() % 20000) / 100 - 50);
    s += ',';
    if (gen() % 17 != 0) s += std::to_string(static_cast<int>(gen() % 1000) - 500);
    s += gen() % 9 == 0 ? "\r\n" : "\n";
    if (gen() % 31 == 0) s += "\n";  // a blank line
  }
  return s;
}

}  // namespace

TEST_SUITE("io::csv split") {
  TEST_CASE("numbers, missing cells, CRLF and blank lines: the same table in two halves") {
    check_both_ways(numbers(3000, 1));
    check_both_ways(numbers(2, 2));
    check_both_ways(numbers(1, 3));
  }

  TEST_CASE("text that starts in the second half, or in the first, and only the columns asked for") {
    std::string first_half = "id,label,v\n", second_half = "id,label,v\n";
    for (int i = 0; i < 2000; ++i) {
      const bool late = i >= 1500, early = i < 300;
      first_half += std::to_string(i) + "," + (early && i % 7 == 0 ? "\"x, y\"" : std::to_string(i % 50)) + "," +
                    std::to_string(i * 0.5) + "\n";
      second_half += std::to_string(i) + "," + (late && i % 5 == 0 ? "text" : std::to_string(i % 50)) + ",  " +
                     std::to_string(i) + " \n";
    }
    check_both_ways(first_half);
    check_both_ways(second_half);
    check_both_ways(second_half, CsvOptions{.delimiter = 0, .columns = {"v", "label"}, .split_from_bytes = 1});
  }

  TEST_CASE("a quoted line break before, across or after the middle: the same table and positions") {
    const std::string rows = numbers(400, 4);
    for (std::size_t at = rows.size() / 2 - 300; at < rows.size() / 2 + 300; at += 37) {
      const std::size_t line_start = rows.find('\n', at) + 1;
      if (line_start >= rows.size()) continue;
      std::string text = rows;
      text.insert(line_start, "0,\"one\nnew line\n\n\",\"7\"\n");
      CAPTURE(at);
      check_both_ways(text);
    }
  }

  TEST_CASE("errors in either half: the message and position of reading in one piece") {
    const std::string rows = numbers(1000, 5);
    for (const double where : {0.2, 0.5, 0.55, 0.9}) {
      const std::size_t at = rows.find('\n', static_cast<std::size_t>(where * static_cast<double>(rows.size()))) + 1;
      for (const std::string bad : {"1,2\n", "1,2,3,4\n", "1,\"2\"x,3\n", "1,2,3\"\n", "1,\"open\n"}) {
        std::string text = rows;
        text.insert(at, bad);
        CAPTURE(where);
        CAPTURE(bad);
        const auto expected = error_of(text, whole);
        REQUIRE(expected.has_value());
        const auto got = error_of(text, halves);
        REQUIRE(got.has_value());
        CHECK(std::string(got->what()) == std::string(expected->what()));
      }
    }
  }

  TEST_CASE("read_csv of a file in two halves: the table of parse_csv in one piece") {
    const std::string text = "\xEF\xBB\xBFid;a;b\n" + [] {
      std::string s;
      for (int i = 0; i < 5000; ++i) s += std::to_string(i) + ";" + std::to_string(i % 97) + ";\"" + std::to_string(i) + "\"\n";
      return s;
    }();
    const auto path = std::filesystem::temp_directory_path() /
                      ("trialstats_csv_split_test_" + std::to_string(::getpid()) + ".csv");
    std::ofstream(path, std::ios::binary) << text;
    const Table from_file = read_csv(path.string(), halves);
    std::filesystem::remove(path);
    check_same(parse_csv(text, path.string(), whole), from_file);
  }
}
