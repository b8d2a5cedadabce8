// render/format.hpp: fixed decimals, p-values as metafor prints them, exact round-trip numbers.
#include <doctest/doctest.h>

#include <charconv>
#include <cmath>
#include <string>
#include <limits>

#include "trialstats/render/format.hpp"

using namespace trialstats::render;

TEST_SUITE("render::format") {

TEST_CASE("fixed: digits after the point, rounded half to even on the binary value, no negative zero") {
  CHECK(fixed(0.71451, 4) == "0.7145");
  CHECK(fixed(-0.71456, 4) == "-0.7146");
  CHECK(fixed(2, 2) == "2.00");
  CHECK(fixed(12.5, 0) == "12");  // 12.5 is exact: ties to even
  CHECK(fixed(-0.00001, 4) == "0.0000");
  CHECK(fixed(-0.0, 2) == "0.00");
  CHECK(fixed(std::nan(""), 4) == "NA");
  CHECK(fixed(std::numeric_limits<double>::infinity(), 4) == "Inf");
  CHECK(fixed(-std::numeric_limits<double>::infinity(), 4) == "-Inf");
}

TEST_CASE("p_value: '<.0001' below 10^-digits, else fixed") {
  CHECK(p_value(7.1e-05, 4) == "<.0001");
  CHECK(p_value(0.0001, 4) == "0.0001");
  CHECK(p_value(0.04999, 4) == "0.0500");
  CHECK(p_value(1, 4) == "1.0000");
  CHECK(p_value(0.001, 2) == "<.01");
  CHECK(p_value(0.5, 0) == "0.5");  // at least one decimal
  CHECK(p_value(0.01, 0) == "<.1");
  CHECK(p_value(std::nan(""), 4) == "NA");
}

TEST_CASE("exact: the shortest text that reads back to the same double") {
  CHECK(exact(0.1) == "0.1");
  CHECK(exact(-0.8893) == "-0.8893");
  CHECK(exact(1e-05) == "1e-05");
  CHECK(exact(0.30000000000000004) == "0.30000000000000004");
  CHECK(exact(1234.5) == "1234.5");
  CHECK(exact(std::nan("")) == "NA");
  CHECK(exact(std::numeric_limits<double>::infinity()) == "Inf");
  CHECK(exact(-std::numeric_limits<double>::infinity()) == "-Inf");
  for (const double v : {0.1 + 0.2, 1.0 / 3.0, 6.02214076e23, -4.9e-324}) {
    const std::string text = exact(v);
    double back = 0;
    std::from_chars(text.data(), text.data() + text.size(), back);
    CHECK(back == v);
  }
}

}  // TEST_SUITE
