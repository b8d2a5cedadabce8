// The CSV reader: RFC 4180 features, the dialect of docs/cli.md, and every error with its message
// and position. Expected values are written by hand from the input text shown in each case.
#include <doctest/doctest.h>

#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <unistd.h>

#include "trialstats/io/csv.hpp"

using trialstats::InputError;
using trialstats::UsageError;
using namespace trialstats::io;

namespace {

// The InputError that parsing `text` throws, or nothing.
std::optional<InputError> error_of(std::string_view text, CsvOptions options = {}) {
  try {
    (void)parse_csv(text, "t.csv", options);
  } catch (const InputError& e) {
    return e;
  }
  return std::nullopt;
}

void check_error(std::string_view text, std::size_t line, std::size_t column, const std::string& message,
                 CsvOptions options = {}) {
  const auto e = error_of(text, options);
  REQUIRE_MESSAGE(e.has_value(), "no error for: " << text);
  CHECK(e->pos().file == "t.csv");
  CHECK(e->pos().line == line);
  CHECK(e->pos().column == column);
  CHECK(e->message() == message);
  CHECK(std::string(e->what()) == "t.csv:" + std::to_string(line) + ":" + std::to_string(column) + ": " + message);
}

double reference_number(const std::string& s) {
  double v = 0;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  REQUIRE(r.ec == std::errc());
  return v;
}

// A temporary file that removes itself.
struct TempFile {
  std::filesystem::path path;
  explicit TempFile(const std::string& content) {
    path = std::filesystem::temp_directory_path() / ("trialstats_csv_test_" + std::to_string(::getpid()) + "_" +
                                                     std::to_string(counter()++) + ".csv");
    std::ofstream(path, std::ios::binary) << content;
  }
  ~TempFile() { std::filesystem::remove(path); }
  static int& counter() {
    static int n = 0;
    return n;
  }
};

}  // namespace

TEST_SUITE("io::csv") {

TEST_CASE("parse_csv: numbers, names and the position of every cell") {
  const Table t = parse_csv("study,yi,vi\nA,0.5,0.04\nB,-1.25,0.1\n", "t.csv");
  REQUIRE(t.rows() == 2);
  REQUIRE(t.cols() == 3);
  CHECK(t.names() == std::vector<std::string>{"study", "yi", "vi"});
  CHECK(t.source() == "t.csv");
  const Column& yi = t.column("yi");
  CHECK(yi.is_numeric());
  CHECK(yi.number(0) == 0.5);
  CHECK(yi.number(1) == -1.25);
  CHECK(yi.pos(1).file == "t.csv");
  CHECK(yi.pos(1).line == 3);
  CHECK(yi.pos(1).column == 3);
  CHECK(t.column("vi").pos(0).column == 7);
  CHECK(t.line(0) == 2);
  CHECK(t.line(1) == 3);
  const Column& study = t.column("study");
  CHECK_FALSE(study.is_numeric());
  CHECK(study.text(1) == "B");
  CHECK(study.pos(0).line == 2);
  CHECK(study.pos(0).column == 1);
}

TEST_CASE("parse_csv: quoted fields hold delimiters, doubled quotes and line breaks") {
  const Table t = parse_csv("name,note,x\n\"Smith, J\",\"said \"\"no\"\"\",1\n\"two\nlines\",\"\",2\n\"a\",b,\"3\"\n",
                            "t.csv");
  REQUIRE(t.rows() == 3);
  const Column& name = t.column("name");
  CHECK(name.text(0) == "Smith, J");
  CHECK(name.text(1) == "two\nlines");
  CHECK(name.text(2) == "a");
  const Column& note = t.column("note");
  CHECK(note.text(0) == "said \"no\"");
  CHECK(note.is_missing(1));  // "" is empty, so missing
  CHECK(note.text(2) == "b");
  const Column& x = t.column("x");
  CHECK(x.is_numeric());
  CHECK(x.number(2) == 3);  // a quoted number is a number
  // Cells after a quoted line break stand on the next line.
  CHECK(name.pos(1).line == 3);
  CHECK(note.pos(1).line == 4);
  CHECK(note.pos(1).column == 8);
  CHECK(x.pos(1).line == 4);
  CHECK(x.pos(1).column == 11);
  CHECK(t.line(1) == 3);
  CHECK(x.pos(2).line == 5);  // the line count goes on after the quoted line break
  CHECK(x.pos(2).column == 7);
}

TEST_CASE("parse_csv: CRLF and LF line ends, with or without a final line end") {
  for (const char* text : {"a,b\r\n1,x\r\n2,y\r\n", "a,b\n1,x\n2,y\n", "a,b\r\n1,x\r\n2,y", "a,b\n1,x\n2,y"}) {
    CAPTURE(text);
    const Table t = parse_csv(text, "t.csv");
    REQUIRE(t.rows() == 2);
    CHECK(t.column("b").text(1) == "y");
    CHECK(t.column("a").number(1) == 2);
    CHECK(t.column("b").pos(1).line == 3);
  }
  const Table q = parse_csv("a,b\r\n\"x\r\ny\",\"z\"\r\n", "t.csv");
  CHECK(q.column("a").text(0) == "x\r\ny");  // quoted text is verbatim
  CHECK(q.column("b").text(0) == "z");
}

TEST_CASE("parse_csv: a UTF-8 byte-order mark is not part of the first name nor of its column") {
  const Table t = parse_csv("\xEF\xBB\xBFstudy;yi\nA;1\n", "t.csv");
  CHECK(t.names() == std::vector<std::string>{"study", "yi"});
  CHECK(t.column("yi").pos(0).column == 3);
}

TEST_CASE("parse_csv: the delimiter is detected from the header, outside quotes") {
  CHECK(parse_csv("a;b;c\n1;2;3\n", "t").cols() == 3);
  CHECK(parse_csv("a\tb\n1\t2\n", "t").cols() == 2);
  CHECK(parse_csv("a,b\n1,2\n", "t").cols() == 2);
  CHECK(parse_csv("only\n1\n", "t").cols() == 1);
  // Commas inside a quoted name do not count: two semicolons win over three quoted commas.
  const Table t = parse_csv("\"a,b,c,d\";e;f\n1;2;3\n", "t");
  CHECK(t.names() == std::vector<std::string>{"a,b,c,d", "e", "f"});
  // Blank lines before the header are skipped, by the detection too.
  CHECK(parse_csv("\n\na;b\n1;2\n", "t").column("b").pos(0).line == 4);
}

TEST_CASE("parse_csv: an explicit delimiter overrides the detection") {
  const Table t = parse_csv("a,b;c\n1,5;2\n", "t.csv", {.delimiter = ';'});
  REQUIRE(t.cols() == 2);
  CHECK(t.column("a,b").text(0) == "1,5");
  CHECK(t.column("c").number(0) == 2);
  CHECK_THROWS_WITH_AS((void)parse_csv("a\n1\n", "t.csv", {.delimiter = '|'}),
                       "the delimiter must be ',', ';' or a tab, got '|'", UsageError);
}

TEST_CASE("parse_csv: empty and NA cells are missing, in number and text columns") {
  const Table t = parse_csv("x,s\n1,a\n,\nNA,NA\n  ,\"\"\n\"NA\",b\n", "t.csv");
  const Column& x = t.column("x");
  CHECK(x.is_numeric());
  for (std::size_t r = 1; r < 5; ++r) {
    CHECK(x.is_missing(r));
    CHECK(std::isnan(x.numbers()[r]));
  }
  CHECK_FALSE(x.is_missing(0));
  const Column& s = t.column("s");
  CHECK_FALSE(s.is_numeric());
  CHECK(s.is_missing(1));
  CHECK(s.is_missing(2));
  CHECK(s.is_missing(3));
  CHECK_FALSE(s.is_missing(4));
  CHECK(s.text(2).empty());
}

TEST_CASE("parse_csv: numbers are read in the C locale, correctly rounded, on both paths") {
  // Plain decimals take the exact fast path; the others go through the general parser. Both must give
  // the double that std::from_chars gives. Quoting a field forces the general path.
  const std::vector<std::string> numbers = {
      "0",     "-0",          "12.3456", "-0.001234",          "1234.5",           "0.1",     "3.",
      ".5",    "-.25",        "007",     "9007199254740992",   "9007199254740993", "1e-5",    "2E3",
      "1e308", "4.9e-324",    "0.30000000000000004", "123456789012345678901234", "0.000000000000000000000001234",
      "1.7976931348623157e308", "99999999999999999999.5"};
  std::string text = "plain,quoted\n";
  for (const auto& n : numbers) text += n + ",\"" + n + "\"\n";
  const Table t = parse_csv(text, "t.csv");
  REQUIRE(t.rows() == numbers.size());
  for (std::size_t r = 0; r < numbers.size(); ++r) {
    CAPTURE(numbers[r]);
    const double expected = reference_number(numbers[r]);
    CHECK(t.column("plain").number(r) == expected);
    CHECK(t.column("quoted").number(r) == expected);
    CHECK(std::signbit(t.column("plain").number(r)) == std::signbit(expected));
  }
  const Table plus = parse_csv("x\n+4\n\" 2.5 \"\n 3 \n", "t.csv");
  CHECK(plus.column("x").number(0) == 4);
  CHECK(plus.column("x").number(1) == 2.5);
  CHECK(plus.column("x").number(2) == 3);
}

TEST_CASE("parse_csv: what is not a finite number is text") {
  for (const char* cell : {"1,5", "inf", "nan", "-Inf", "1e400", "0x10", "--1", "+-1", "++1", "1.2.3", "12 kg", "-", ".",
                           "1e", "1d"}) {
    CAPTURE(cell);
    const Table t = parse_csv(std::string("x;y\n") + cell + ";1\n", "t.csv");
    CHECK_FALSE(t.column("x").is_numeric());
    CHECK(t.column("x").text(0) == cell);
  }
}

TEST_CASE("parse_csv: a text cell turns the column into text and keeps the numbers before it as text") {
  const Table t = parse_csv("x\n1\n0.25\nabc\n\n2\n", "t.csv");
  const Column& x = t.column("x");
  CHECK_FALSE(x.is_numeric());
  CHECK(x.text(0) == "1");
  CHECK(x.text(1) == "0.25");
  CHECK(x.text(2) == "abc");
  CHECK(x.text(3) == "2");
  CHECK(x.number(1) == 0.25);
  CHECK(x.pos(3).line == 6);  // the blank line 5 is skipped
}

TEST_CASE("parse_csv: unquoted fields are trimmed, quoted ones are verbatim") {
  const Table t = parse_csv("name , x\n  Smith J , 1\n\" Lee \",2\n", "t.csv");
  CHECK(t.names() == std::vector<std::string>{"name", "x"});
  CHECK(t.column("name").text(0) == "Smith J");
  CHECK(t.column("name").text(1) == " Lee ");
  CHECK(t.column("x").number(0) == 1);
}

TEST_CASE("parse_csv: columns count characters, not bytes") {
  const Table t = parse_csv("étude,x\nZürich,1\n\"日本\",2\n", "t.csv");
  CHECK(t.names().front() == "étude");
  CHECK(t.column("x").pos(0).column == 8);
  CHECK(t.column("x").pos(1).column == 6);
  check_error("a,b\nü,\"x\" y\n", 2, 7, "unexpected text after the closing quote of the field that opens at 2:3");
}

TEST_CASE("parse_csv: a column position past 65534 characters is kept exactly") {
  const std::string wide(70000, 'w');
  const Table t = parse_csv("a,b\n1,2\n" + wide + ",3\n", "t.csv");
  CHECK(t.column("b").pos(0).column == 3);
  CHECK(t.column("b").pos(1).column == 70002);
  CHECK(t.column("a").text(1) == wide);
}

TEST_CASE("parse_csv: error: an empty file") {
  check_error("", 1, 1, "the file is empty: expected a header row and data rows");
  check_error("\xEF\xBB\xBF", 1, 1, "the file is empty: expected a header row and data rows");
  check_error("\n\r\n  \n", 1, 1, "the file is empty: expected a header row and data rows");
}

TEST_CASE("parse_csv: error: a header without data rows") {
  check_error("a,b,c\n", 1, 1, "the file has a header row but no data rows");
  check_error("a,b,c", 1, 1, "the file has a header row but no data rows");
  check_error("a,b,c\n\n\n", 1, 1, "the file has a header row but no data rows");
}

TEST_CASE("parse_csv: error: duplicate and empty column names") {
  check_error("study,yi,vi,yi\n1,2,3,4\n", 1, 13, "duplicate column name 'yi' (also column 2 of the header)");
  check_error("a,,c\n1,2,3\n", 1, 3, "column 2 of the header has no name");
  check_error("a, \"\" ,c\n1,2,3\n", 1, 4, "column 2 of the header has no name");
}

TEST_CASE("parse_csv: error: a row of the wrong width says how many fields it has and the header has") {
  check_error("a,b,c\n1,2,3\n4,5\n", 3, 4, "this row has 2 fields, but the header has 3 columns");
  check_error("a,b,c\n1\r\n", 2, 2, "this row has 1 field, but the header has 3 columns");
  check_error("a,b\n1,2\n3,4,5,6\n", 3, 5,
              "this row has 4 fields, but the header has 2 columns (a delimiter inside a value that is not quoted?)");
  check_error("a\n1\n2;3\n", 3, 3, "this row has 2 fields, but the header has 1 column (a delimiter inside a value that is not quoted?)",
              {.delimiter = ';'});
}

TEST_CASE("parse_csv: error: a quote that is never closed points at where it opens") {
  check_error("a,b\n1,\"open\n2,3\n4,5\n", 2, 3, "this quoted field is never closed: the file ends inside it");
  check_error("\"a,b\n1,2\n", 1, 1, "this quoted field is never closed: the file ends inside it");
}

TEST_CASE("parse_csv: error: quotes in the wrong place") {
  check_error("a,b\n1,5\" screen\n", 2, 4,
              "a quote inside an unquoted field: quote the whole field and double the quotes inside it");
  check_error("a,b\n1,\"x\"y\n", 2, 6, "unexpected text after the closing quote of the field that opens at 2:3");
}

TEST_CASE("parse_csv: error: NUL bytes mean a binary file") {
  using namespace std::string_literals;
  const std::string message =
      "NUL byte: this is a binary file, not CSV text (a spreadsheet or a compressed file? export it as CSV)";
  check_error("PK\x03\x04\x14\x00\x06\x00"s, 1, 6, message);
  check_error("a,b\n1,x\0y\n"s, 2, 4, message);
  // Past the first 8 KiB, the field scanner finds it, in unquoted and in quoted fields.
  const std::string filler = "a,b\n" + std::string(9000, '\n');
  check_error(filler + "1,ab\0\n"s, 9002, 5, message);
  check_error(filler + "1,\"ab\0\"\n"s, 9002, 6, message);
}

TEST_CASE("parse_csv: error: UTF-16 text (a spreadsheet's \"Unicode text\") is named as such") {
  using namespace std::string_literals;
  check_error("\xFF\xFEs\0t\0"s, 1, 1, "the file is UTF-16 text, not UTF-8: save it as CSV in UTF-8");
  check_error("\xFE\xFF\0s\0t"s, 1, 1, "the file is UTF-16 text, not UTF-8: save it as CSV in UTF-8");
}

TEST_CASE("parse_csv: error: invalid UTF-8, in names and in text") {
  check_error("caf\xE9,x\n1,2\n", 1, 4, "invalid UTF-8 (byte 0xE9): the file must be UTF-8 text; save it as UTF-8");
  check_error("a,b\n1,M\xFCller\n", 2, 4, "invalid UTF-8 (byte 0xFC): the file must be UTF-8 text; save it as UTF-8");
  check_error("a,b\n1,\"M\xFCller\"\n", 2, 5, "invalid UTF-8 (byte 0xFC): the file must be UTF-8 text; save it as UTF-8");
  check_error("a,b\n1,\xC3", 2, 3, "invalid UTF-8 (byte 0xC3): the file must be UTF-8 text; save it as UTF-8");
  check_error("a,b\n1,\xED\xA0\x80\n", 2, 3, "invalid UTF-8 (byte 0xED): the file must be UTF-8 text; save it as UTF-8");
  check_error("a,b\n1,\xC0\xAF\n", 2, 3, "invalid UTF-8 (byte 0xC0): the file must be UTF-8 text; save it as UTF-8");
}

TEST_CASE("parse_csv: blank lines are skipped and keep the line count") {
  const Table t = parse_csv("a,b\n\n1,2\n   \n\r\n3,4\n\n", "t.csv");
  REQUIRE(t.rows() == 2);
  CHECK(t.line(0) == 3);
  CHECK(t.line(1) == 6);
}

TEST_CASE("read_csv: error: a file that cannot be opened or read names the file only") {
  const auto missing = std::filesystem::temp_directory_path() / "trialstats_no_such_file.csv";
  try {
    (void)read_csv(missing.string());
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK(e.message() == "cannot open the file: No such file or directory");
    CHECK(e.pos().line == 0);
    CHECK(std::string(e.what()) == missing.string() + ": cannot open the file: No such file or directory");
  }
  const auto folder = std::filesystem::temp_directory_path();
  CHECK_THROWS_WITH_AS((void)read_csv(folder.string()), (folder.string() + ": cannot read the file: it is a folder").c_str(),
                       InputError);
}

TEST_CASE("read_csv: chunked reading gives the table that parse_csv gives, across chunk borders") {
  // About 5 MB: several 1 MiB chunks, with quoted line breaks, doubled quotes, multibyte characters,
  // CRLF ends and a single record larger than a chunk.
  std::string text = "id;label;value\r\n";
  for (int i = 0; i < 120000; ++i) {
    text += std::to_string(i) + ";";
    if (i % 7 == 0) text += "\"line\nbreak \"\"q\"\" ü\"";
    else if (i % 5 == 0) text += "é日本";
    else text += "plain";
    text += ";" + std::to_string(i * 0.001 - 3.5) + (i % 3 == 0 ? "\r\n" : "\n");
    if (i == 60000) text += "1;\"" + std::string(3 << 20, 'z') + "\";1.5\n";
  }
  const TempFile file(text);
  const Table a = read_csv(file.path.string());
  const Table b = parse_csv(text, file.path.string());
  REQUIRE(a.rows() == b.rows());
  REQUIRE(a.rows() == 120001);
  for (std::size_t c = 0; c < 3; ++c) {
    const Column& ca = a.columns()[c];
    const Column& cb = b.columns()[c];
    CHECK(ca.is_numeric() == cb.is_numeric());
    for (std::size_t r = 0; r < a.rows(); ++r) {
      if (ca.text(r) != cb.text(r) || ca.pos(r).line != cb.pos(r).line || ca.pos(r).column != cb.pos(r).column) {
        FAIL_CHECK("row " << r << " column " << c << " differs");
        break;
      }
    }
  }
  CHECK(a.column("value").number(7) == reference_number(std::to_string(7 * 0.001 - 3.5)));
  CHECK(a.column("label").text(60001).size() == (3u << 20));
}

TEST_CASE("read_csv: errors late in a large file have their exact position") {
  std::string text = "a,b\n";
  for (int i = 0; i < 200000; ++i) text += "1.25,2.5\n";
  const TempFile ragged(text + "3\n");
  CHECK_THROWS_WITH_AS((void)read_csv(ragged.path.string()),
                       (ragged.path.string() + ":200002:2: this row has 1 field, but the header has 2 columns").c_str(),
                       InputError);
  const TempFile open_quote(text + "3,\"abc\n");
  CHECK_THROWS_WITH_AS((void)read_csv(open_quote.path.string()),
                       (open_quote.path.string() + ":200002:3: this quoted field is never closed: the file ends inside it").c_str(),
                       InputError);
}

}  // TEST_SUITE

TEST_SUITE("io::csv") {
TEST_CASE("parse_csv: in a text column, numbers after the first text cell keep their own text") {
  const Table t = parse_csv("id\n007\nA3\n007\n\" 2.50 \"\n", "t.csv");
  const Column& id = t.column("id");
  CHECK(id.text(0) == "7");  // read as a number before the column turned out to be text
  CHECK(id.text(1) == "A3");
  CHECK(id.text(2) == "007");
  CHECK(id.text(3) == "2.50");
  CHECK(id.number(3) == 2.5);
}
}  // TEST_SUITE

TEST_SUITE("io::csv") {

TEST_CASE("read_csv: an all-number file across chunk borders, the fast row path and the general one agree") {
  // Rows of plain numbers take the fast path; rows with a blank, an exponent, a missing cell or CRLF
  // take the general one. Values and positions must not depend on the path.
  std::string text = "a,b,c\n";
  std::vector<std::array<std::string, 3>> cells;
  for (int i = 0; i < 150000; ++i) {
    std::array<std::string, 3> row = {std::to_string(i % 1000) + "." + std::to_string(i % 97),
                                      "-0.00" + std::to_string(1000 + i % 9000), std::to_string(i)};
    if (i % 11 == 0) row[1] = " " + row[1];
    if (i % 13 == 0) row[2] = "1e-3";
    if (i % 17 == 0) row[0] = "";
    cells.push_back(row);
    text += row[0] + "," + row[1] + "," + row[2] + (i % 19 == 0 ? "\r\n" : "\n");
  }
  const TempFile file(text);
  const Table t = read_csv(file.path.string());
  REQUIRE(t.rows() == cells.size());
  for (std::size_t r = 0; r < cells.size(); ++r) {
    for (std::size_t c = 0; c < 3; ++c) {
      const Column& col = t.columns()[c];
      std::string cell = cells[r][c];
      std::size_t column = 1 + (c > 0 ? cells[r][0].size() + 1 : 0) + (c > 1 ? cells[r][1].size() + 1 : 0);
      if (!cell.empty() && cell.front() == ' ') {
        cell.erase(0, 1);
        ++column;  // the cell starts after the blank
      }
      const bool ok = cell.empty() ? col.is_missing(r) : col.number(r) == reference_number(cell);
      if (!ok || col.pos(r).line != r + 2 || col.pos(r).column != column) {
        FAIL_CHECK("row " << r << " column " << c << ": " << col.text(r) << " at " << col.pos(r).line << ":"
                          << col.pos(r).column);
        return;
      }
    }
  }
}

TEST_CASE("parse_csv: a column that turns to text after many number rows keeps every cell") {
  std::string text = "x,y\n";
  for (int i = 0; i < 1000; ++i) text += std::to_string(i) + ".5,1\n";
  text += "n/a,2\n3.25,3\n";
  const Table t = parse_csv(text, "t.csv");
  const Column& x = t.column("x");
  CHECK_FALSE(x.is_numeric());
  CHECK(x.text(999) == "999.5");
  CHECK(x.text(1000) == "n/a");
  CHECK(x.text(1001) == "3.25");
  CHECK(x.number(1001) == 3.25);
  CHECK(x.pos(1001).line == 1003);
  CHECK(t.column("y").number(1001) == 3);
  CHECK_THROWS_WITH_AS((void)x.number(1000), "t.csv:1002:1: column 'x': expected a number, got \"n/a\"", InputError);
}

TEST_CASE("parse_csv: ragged rows after fast rows are still caught") {
  std::string text = "a,b\n";
  for (int i = 0; i < 500; ++i) text += "1.5,2.5\n";
  check_error(text + "1.5,2.5,3.5\n", 502, 9,
              "this row has 3 fields, but the header has 2 columns (a delimiter inside a value that is not quoted?)");
  check_error(text + "1.5\n", 502, 4, "this row has 1 field, but the header has 2 columns");
}

TEST_CASE("parse_csv: more than 64 columns (no fast path) read the same") {
  std::string header, row;
  for (int c = 0; c < 70; ++c) {
    header += (c ? "," : "") + ("c" + std::to_string(c));
    row += (c ? "," : "") + std::to_string(c) + ".25";
  }
  const Table t = parse_csv(header + "\n" + row + "\n" + row + "\n", "t.csv");
  REQUIRE(t.cols() == 70);
  CHECK(t.column("c69").number(1) == 69.25);
  CHECK(t.column("c69").pos(1).column == row.size() - 4);
}

TEST_CASE("columns: only the named columns are stored, the others still obey the dialect") {
  const CsvOptions only_xy{.columns = {"y", "x"}};
  // Plain rows (the fast path skips the text column) and a row with a quoted skipped field.
  const Table t = parse_csv("id,x,note,y\nP1,1.5,ok,2\nP2,-3,\"a, b\",4e1\nP3,,x,5\n", "t.csv", only_xy);
  CHECK(t.names() == std::vector<std::string>{"x", "y"});  // in the file's order
  CHECK(t.rows() == 3);
  CHECK(t.column("x").number(1) == -3);
  CHECK(t.column("y").number(1) == 40);
  CHECK(t.column("x").is_missing(2));
  CHECK(t.column("y").pos(2).line == 4);
  CHECK(t.column("y").pos(2).column == 7);
  CHECK(t.find("id") == nullptr);
  // A ragged row, a stray quote or invalid UTF-8 in a column not read is still an error.
  check_error("id,x,y\nP1,1,2\nP2,3\n", 3, 5, "this row has 2 fields, but the header has 3 columns", {.columns = {"x"}});
  check_error("id,x\nP\"1,1\n", 2, 2,
              "a quote inside an unquoted field: quote the whole field and double the quotes inside it",
              {.columns = {"x"}});
  check_error("id,x\nP\xff,1\n", 2, 2, "invalid UTF-8 (byte 0xFF): the file must be UTF-8 text; save it as UTF-8",
              {.columns = {"x"}});
  // A name the header lacks: the header's error, with the near miss.
  const auto e = error_of("id,hrv_change\n1,2\n", {.columns = {"hrv_chnage"}});
  REQUIRE(e.has_value());
  CHECK(std::string(e->what()) == "t.csv:1: no column 'hrv_chnage'; did you mean 'hrv_change'?");
}

}  // TEST_SUITE
