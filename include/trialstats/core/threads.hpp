// Starting worker threads where they can run at once.
//
// Linux queues a new thread on the core of the thread that creates it; when that thread goes on
// computing, the new one waits for the next load balancing to move it to an idle core. Measured on a
// 2-core virtual machine with a two-thread test program (64-unit blocks of about 1 µs taken from a
// shared counter, the second thread created while the first computed): the second thread took its
// first block 2.4–3.4 ms after its creation in runs of 8 ms, and none at all in runs of 0.7 ms;
// created with its affinity set to the other core, it took its first block after about 60 µs and the
// 0.7 ms run took 0.5 ms. start_thread places the new thread on another core of the process's
// allowed set from the start; once running, the thread may move anywhere in that set again.
#pragma once

#include <atomic>
#include <memory>
#include <thread>
#include <utility>

#if defined(__linux__)
#include <pthread.h>
#include <sched.h>
#endif

namespace trialstats {

/// A std::jthread running f(), started on a core other than the caller's when the process may use
/// another (Linux; elsewhere, and when the affinity calls fail, a plain std::jthread).
/// Example:
///   std::vector<std::jthread> pool;
///   for (unsigned t = 1; t < threads; ++t) pool.push_back(start_thread([&] { work(); }));
template <class F>
[[nodiscard]] std::jthread start_thread(F&& f) {
#if defined(__linux__)
  cpu_set_t allowed;
  const int here = sched_getcpu();
  if (here >= 0 && sched_getaffinity(0, sizeof allowed, &allowed) == 0 && CPU_COUNT(&allowed) > 1) {
    auto placed = std::make_shared<std::atomic<bool>>(false);
    std::jthread t([f = std::forward<F>(f), allowed, placed]() mutable {
      placed->wait(false);  // until the creator has chosen this thread's first core
      sched_setaffinity(0, sizeof allowed, &allowed);
      f();
    });
    cpu_set_t elsewhere = allowed;
    CPU_CLR(here, &elsewhere);
    if (CPU_COUNT(&elsewhere) > 0) pthread_setaffinity_np(t.native_handle(), sizeof elsewhere, &elsewhere);
    placed->store(true);
    placed->notify_one();
    return t;
  }
#endif
  return std::jthread(std::forward<F>(f));
}

}  // namespace trialstats
