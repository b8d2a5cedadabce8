// render::write_output: atomic files (temporary file, then rename), never over an input, nothing
// left behind on error; standard output for "" and "-".
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "trialstats/core/error.hpp"
#include "trialstats/render/output.hpp"

namespace fs = std::filesystem;
using trialstats::UsageError;
using trialstats::render::write_output;

namespace {

// A fresh, empty folder that removes itself.
struct TempFolder {
  fs::path path;
  TempFolder() {
    static int n = 0;
    path = fs::temp_directory_path() / ("trialstats_output_test_" + std::to_string(::getpid()) + "_" + std::to_string(n++));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempFolder() { fs::remove_all(path); }
  [[nodiscard]] std::size_t entries() const {
    return static_cast<std::size_t>(std::distance(fs::directory_iterator(path), fs::directory_iterator()));
  }
};

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_SUITE("render::output") {

TEST_CASE("write_output: writes the file whole and leaves no temporary file") {
  const TempFolder dir;
  const fs::path out = dir.path / "result.csv";
  write_output(out.string(), "a,b\n1,2\n");
  CHECK(slurp(out) == "a,b\n1,2\n");
  CHECK(dir.entries() == 1);
  write_output(out.string(), "replaced\n");  // an existing output is replaced whole
  CHECK(slurp(out) == "replaced\n");
  CHECK(dir.entries() == 1);
}

TEST_CASE("write_output: refuses to write over an input file, by any spelling, and leaves it as it was") {
  const TempFolder dir;
  const fs::path input = dir.path / "trials.csv";
  std::ofstream(input) << "study,yi\nA,1\n";
  const std::string message = "refusing to write the output over the input file '" + input.string() + "'";
  CHECK_THROWS_WITH_AS(write_output(input.string(), "x", {input.string()}), message.c_str(), UsageError);
  const fs::path other_spelling = dir.path / "." / "trials.csv";
  CHECK_THROWS_AS(write_output(other_spelling.string(), "x", {input.string()}), UsageError);
  const fs::path link = dir.path / "link.csv";
  fs::create_symlink(input, link);
  CHECK_THROWS_AS(write_output(link.string(), "x", {input.string()}), UsageError);
  CHECK(slurp(input) == "study,yi\nA,1\n");
  CHECK(dir.entries() == 2);
  write_output((dir.path / "other.csv").string(), "y", {input.string(), "-"});  // another file is fine
  CHECK(slurp(dir.path / "other.csv") == "y");
}

TEST_CASE("write_output: an output that cannot be written is a usage error and leaves nothing behind") {
  const TempFolder dir;
  const fs::path missing_folder = dir.path / "no" / "such" / "out.csv";
  CHECK_THROWS_WITH_AS(write_output(missing_folder.string(), "x"),
                       ("cannot write the output file '" + missing_folder.string() + "': No such file or directory").c_str(),
                       UsageError);
  CHECK(dir.entries() == 0);
  // A folder in the way: the rename fails, the folder stays as it was and the temporary file goes.
  const fs::path folder = dir.path / "taken";
  fs::create_directory(folder);
  std::ofstream(folder / "keep.txt") << "keep";
  CHECK_THROWS_AS(write_output(folder.string(), "x"), UsageError);
  CHECK(fs::is_directory(folder));
  CHECK(slurp(folder / "keep.txt") == "keep");
  CHECK(dir.entries() == 1);
}

TEST_CASE("write_output: an empty path and '-' write to standard output") {
  std::ostringstream captured;
  std::streambuf* old = std::cout.rdbuf(captured.rdbuf());
  write_output("", "one\n");
  write_output("-", "two\n", {"-"});
  std::cout.rdbuf(old);
  CHECK(captured.str() == "one\ntwo\n");
}

}  // TEST_SUITE
