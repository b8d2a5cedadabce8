// Throughput of the CSV reader against two ceilings on the same bytes: a bare std::from_chars loop
// (no quoting, no checks, no storage) and a plain read of the file (`cat FILE > /dev/null`).
// The input: 10 million rows of 3 numbers (about 200 MB; 10,000 rows with TRIALSTATS_BENCH_SMOKE),
// written once to a temporary folder with deterministic content.
// Counters: peak_rss_MB (getrusage, for the whole process so far: run read_csv first, as
// registered below, or alone with --benchmark_filter=read_csv) and numeric_MB (rows x 3 x 8 bytes).
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "trialstats/io/csv.hpp"

namespace {

std::size_t row_count() { return std::getenv("TRIALSTATS_BENCH_SMOKE") != nullptr ? 10'000 : 10'000'000; }

// Appends `value` scaled down by 10^decimals, e.g. (123456, 4) -> "12.3456".
void append_fixed(std::string& out, std::int64_t value, int decimals) {
  if (value < 0) {
    out += '-';
    value = -value;
  }
  std::int64_t scale = 1;
  for (int k = 0; k < decimals; ++k) scale *= 10;
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, value / scale);
  out.append(buf, r.ptr);
  out += '.';
  const std::string frac = std::to_string(value % scale);
  out.append(static_cast<std::size_t>(decimals) - frac.size(), '0');
  out += frac;
}

// The file, written once per process: columns like 12.3456, -0.001234 and 1234.5.
const std::string& bench_file() {
  static const std::string path = [] {
    const auto folder = std::filesystem::temp_directory_path() / "trialstats_csv_bench";
    std::filesystem::create_directories(folder);
    const auto file = folder / ("numbers_" + std::to_string(row_count()) + ".csv");
    const std::string name = file.string();
    if (std::filesystem::exists(file)) return name;
    const std::string temp = name + ".tmp";
    std::ofstream out(temp, std::ios::binary);
    std::uint64_t state = 0x9E3779B97F4A7C15ULL;  // splitmix-style generator: the same bytes everywhere
    auto next = [&state] {
      state += 0x9E3779B97F4A7C15ULL;
      std::uint64_t z = state;
      z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
      z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
      return z ^ (z >> 31);
    };
    std::string chunk = "effect,change,dose\n";
    for (std::size_t r = 0; r < row_count(); ++r) {
      append_fixed(chunk, static_cast<std::int64_t>(next() % 1'000'000), 4);  // 0.0000 .. 99.9999
      chunk += ',';
      append_fixed(chunk, -static_cast<std::int64_t>(next() % 10'000'000), 6);  // -9.999999 .. 0
      chunk += ',';
      append_fixed(chunk, static_cast<std::int64_t>(next() % 100'000), 1);  // 0.0 .. 9999.9
      chunk += '\n';
      if (chunk.size() > (1 << 20)) {
        out << chunk;
        chunk.clear();
      }
    }
    out << chunk;
    out.close();
    std::filesystem::rename(temp, file);
    return name;
  }();
  return path;
}

std::int64_t file_size() { return static_cast<std::int64_t>(std::filesystem::file_size(bench_file())); }

double peak_rss_mb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // KiB on Linux
}

void read_csv(benchmark::State& state) {
  const std::string& path = bench_file();
  std::size_t rows = 0;
  for (auto _ : state) {
    auto table = std::make_unique<trialstats::io::Table>(trialstats::io::read_csv(path));
    rows = table->rows();
    benchmark::DoNotOptimize(table->columns().front().numbers().data());
    state.PauseTiming();  // freeing the table is not reading it
    table.reset();
    state.ResumeTiming();
  }
  state.SetBytesProcessed(state.iterations() * file_size());
  state.counters["rows"] = static_cast<double>(rows);
  state.counters["peak_rss_MB"] = peak_rss_mb();
  state.counters["numeric_MB"] = static_cast<double>(rows * 3 * sizeof(double)) / (1024.0 * 1024.0);
}

// The ceiling for number conversion: std::from_chars over the bytes in memory, field after field.
void from_chars_loop(benchmark::State& state) {
  std::ifstream in(bench_file(), std::ios::binary);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const char* begin = text.data() + text.find('\n') + 1;
  const char* end = text.data() + text.size();
  for (auto _ : state) {
    double sum = 0, v = 0;
    for (const char* p = begin; p < end;) {
      const auto r = std::from_chars(p, end, v);
      sum += v;
      p = r.ptr + 1;  // the delimiter or the line end
    }
    benchmark::DoNotOptimize(sum);
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(text.size()));
}

// The ceiling for I/O: read the file through a 1 MiB buffer, as `cat FILE > /dev/null` does.
void read_file(benchmark::State& state) {
  const std::string& path = bench_file();
  std::vector<char> buffer(std::size_t{1} << 20);
  for (auto _ : state) {
    const int fd = ::open(path.c_str(), O_RDONLY);
    std::int64_t total = 0;
    for (ssize_t n; (n = ::read(fd, buffer.data(), buffer.size())) > 0;) total += n;
    ::close(fd);
    benchmark::DoNotOptimize(total);
  }
  state.SetBytesProcessed(state.iterations() * file_size());
}

}  // namespace

BENCHMARK(read_csv)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(from_chars_loop)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(read_file)->Unit(benchmark::kMillisecond)->UseRealTime();
