// A progress line on stderr for long runs (batches, permutations, bootstrap), shown only when stderr
// is a terminal, so that pipes, files and CI logs never see it (DESIGN.md, CLI contract).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>

#include <unistd.h>

namespace trialstats::app {

class Progress {
 public:
  Progress(std::string what, std::size_t total) : what_(std::move(what)), total_(total) {
    if (::isatty(STDERR_FILENO) == 1 && total_ > 1)
      printer_ = std::jthread([this](std::stop_token stop) {
        std::mutex mutex;
        std::condition_variable_any wake;  // woken by the stop request: no wait for the last period at the end
        std::unique_lock lock(mutex);
        for (;;) {
          (void)wake.wait_for(lock, stop, std::chrono::milliseconds(200), [] { return false; });
          if (stop.stop_requested()) break;
          std::cerr << '\r' << what_ << ": " << done_.load() << '/' << total_ << std::flush;
        }
        std::cerr << '\r' << std::string(what_.size() + 24, ' ') << '\r' << std::flush;
      });
  }
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;
  ~Progress() = default;  // the jthread stops and joins; the line is cleared

  void tick() noexcept { done_.fetch_add(1, std::memory_order_relaxed); }

  /// The counter of work done, for code that advances it itself (e.g. meta::PermutationOptions::progress).
  [[nodiscard]] std::atomic<std::size_t>& counter() noexcept { return done_; }

 private:
  std::string what_;
  std::size_t total_;
  std::atomic<std::size_t> done_{0};
  std::jthread printer_;  ///< last member: joined before the others are destroyed
};

}  // namespace trialstats::app
