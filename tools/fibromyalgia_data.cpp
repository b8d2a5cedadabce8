// Writes the synthetic fibromyalgia datasets of data/fibromyalgia/ (see its README): deterministic
// (xoshiro256** from fixed seeds, Box–Muller normals), built so that the figures of the seed article
// can be re-derived from them. Usage: fibromyalgia_data OUTDIR
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <numbers>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "trialstats/meta/model.hpp"
#include "trialstats/stats/random.hpp"

namespace {

using trialstats::stats::Xoshiro256;

/// Standard normal deviates by Box–Muller from 53-bit uniforms.
class Normal {
 public:
  explicit Normal(std::uint64_t seed) : engine_(seed) {}
  double uniform() { return (static_cast<double>(engine_() >> 11) + 0.5) * 0x1.0p-53; }
  double operator()() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    const double u = uniform(), v = uniform();
    const double r = std::sqrt(-2 * std::log(u));
    spare_ = r * std::sin(2 * std::numbers::pi * v);
    has_spare_ = true;
    return r * std::cos(2 * std::numbers::pi * v);
  }
  Xoshiro256& engine() { return engine_; }

 private:
  Xoshiro256 engine_;
  double spare_ = 0;
  bool has_spare_ = false;
};

double round_to(double x, int decimals) {
  const double f = std::pow(10.0, decimals);
  return std::round(x * f) / f;
}

[[noreturn]] void fail(const std::string& what) {
  std::cerr << "fibromyalgia_data: " << what << '\n';
  std::exit(1);
}

std::ofstream open(const std::filesystem::path& dir, const std::string& name) {
  std::ofstream out(dir / name, std::ios::binary);
  if (!out) fail("cannot write " + (dir / name).string());
  return out;
}

// ---- the 13 trials ------------------------------------------------------------------------------

struct Arm {
  int n = 0;
  double mean = 0, sd = 0;
};
struct Trial {
  std::string study;
  int year = 0;
  Arm acu, ctl;
};

const std::vector<int> trial_sizes = {60, 84, 96, 100, 120, 150, 72, 88, 164, 110, 128, 140, 100};  // sum 1412

enum class Scale { log_ratio, difference };

double effect_of(const Trial& t, Scale s) {
  return s == Scale::log_ratio ? std::log(t.acu.mean / t.ctl.mean) : t.acu.mean - t.ctl.mean;
}
double variance_of(const Trial& t, Scale s) {
  if (s == Scale::log_ratio)
    return t.acu.sd * t.acu.sd / (t.acu.n * t.acu.mean * t.acu.mean) +
           t.ctl.sd * t.ctl.sd / (t.ctl.n * t.ctl.mean * t.ctl.mean);
  return t.acu.sd * t.acu.sd / t.acu.n + t.ctl.sd * t.ctl.sd / t.ctl.n;
}
double pooled(const std::vector<Trial>& trials, Scale s) {
  std::vector<double> yi, vi;
  for (const auto& t : trials) {
    yi.push_back(effect_of(t, s));
    vi.push_back(variance_of(t, s));
  }
  return trialstats::meta::pool(yi, vi).estimate;  // REML, as `trialstats pool`
}

/// One outcome of a subset of the trials: control arms drawn from the ranges given, the acupuncture
/// arm from the true effect (target + between-trial deviation) and its sampling error; then every
/// acupuncture mean moved by the same amount (a factor on the ratio scale) until the REML estimate
/// equals the target; means and SDs rounded to one decimal as trial reports give them.
std::vector<Trial> outcome(std::uint64_t seed, const std::vector<int>& which, Scale scale, double target, double tau,
                           double ctl_lo, double ctl_hi, double sd_lo, double sd_hi) {
  Normal z(seed);
  std::vector<Trial> trials;
  for (const int i : which) {
    Trial t;
    t.study = fmt::format("FM-ACU-{:02d}", i + 1);
    t.year = 2008 + (i * 7) % 15;
    const int total = trial_sizes[static_cast<std::size_t>(i)];
    t.acu.n = total / 2 + (i == 5 ? 1 : 0);
    t.ctl.n = total - t.acu.n;
    t.ctl.mean = ctl_lo + (ctl_hi - ctl_lo) * z.uniform();
    t.ctl.sd = sd_lo + (sd_hi - sd_lo) * z.uniform();
    t.acu.sd = sd_lo + (sd_hi - sd_lo) * z.uniform();
    t.acu.mean = t.ctl.mean;
    const double v = variance_of(t, scale);
    const double theta = target + tau * z() + std::sqrt(v) * z();
    t.acu.mean = scale == Scale::log_ratio ? t.ctl.mean * std::exp(theta) : t.ctl.mean + theta;
    trials.push_back(t);
  }
  for (int iter = 0; iter < 20; ++iter) {
    const double shift = target - pooled(trials, scale);
    for (auto& t : trials) t.acu.mean = scale == Scale::log_ratio ? t.acu.mean * std::exp(shift) : t.acu.mean + shift;
  }
  for (auto& t : trials) {
    t.acu.mean = round_to(t.acu.mean, 1);
    t.ctl.mean = round_to(t.ctl.mean, 1);
    t.acu.sd = round_to(t.acu.sd, 1);
    t.ctl.sd = round_to(t.ctl.sd, 1);
  }
  return trials;
}

void write_trials(const std::filesystem::path& dir, const std::string& name, const std::vector<Trial>& trials) {
  std::ofstream out = open(dir, name);
  out << "study,year,n1i,m1i,sd1i,n2i,m2i,sd2i\n";
  for (const auto& t : trials)
    out << fmt::format("{},{},{},{:.1f},{:.1f},{},{:.1f},{:.1f}\n", t.study, t.year, t.acu.n, t.acu.mean, t.acu.sd,
                       t.ctl.n, t.ctl.mean, t.ctl.sd);
}

// ---- the pilot: tender points ---------------------------------------------------------------------

double mean_percent_change(const std::vector<int>& pre, const std::vector<int>& post) {
  double s = 0;
  for (std::size_t i = 0; i < pre.size(); ++i) s += 100.0 * (post[i] - pre[i]) / pre[i];
  return s / static_cast<double>(pre.size());
}

/// Week-12 counts of one arm: each patient's relative change drawn around `target` (percent), counts
/// rounded; then single counts moved by one point, patient by patient, until the arm's mean percent
/// change lies within 0.25 of the target.
std::vector<int> tender_after(Normal& z, const std::vector<int>& pre, double target, double sd) {
  std::vector<int> post;
  for (const int b : pre)
    post.push_back(std::clamp(static_cast<int>(std::lround(b * (1 + (target + sd * z()) / 100))), 0, 18));
  for (std::size_t i = 0; std::fabs(mean_percent_change(pre, post) - target) > 0.25 && i < 10 * pre.size(); ++i) {
    const std::size_t k = i % pre.size();
    const int step = mean_percent_change(pre, post) > target ? -1 : 1;
    post[k] = std::clamp(post[k] + step, 0, 18);
  }
  if (std::fabs(mean_percent_change(pre, post) - target) > 0.25) fail("tender points: target not reached");
  return post;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) fail("usage: fibromyalgia_data OUTDIR");
  const std::filesystem::path dir = argv[1];
  std::filesystem::create_directories(dir);

  // 13 RCTs, VAS pain 0-100: ratio of means 0.68 (a 32% reduction); every trial reports pain.
  std::vector<int> all(13);
  for (int i = 0; i < 13; ++i) all[static_cast<std::size_t>(i)] = i;
  write_trials(dir, "rcts_pain.csv", outcome(101, all, Scale::log_ratio, std::log(0.68), 0.10, 55, 72, 16, 24));
  // MFI-20 general fatigue (4-20), reported by 7 of the 13 trials: mean difference -2.7 points.
  write_trials(dir, "rcts_fatigue.csv",
               outcome(202, {0, 2, 3, 5, 8, 10, 12}, Scale::difference, -2.7, 1.0, 14.5, 17.0, 2.8, 3.6));
  // Sleep efficiency (%, polysomnography), reported by 5 trials: ratio of means 1.18.
  write_trials(dir, "rcts_sleep.csv",
               outcome(303, {1, 4, 6, 9, 11}, Scale::log_ratio, std::log(1.18), 0.04, 70, 76, 8, 11));

  // The pilot: 42 patients, 21 per arm, tender points (of 18) at baseline and week 12.
  {
    Normal z(404);
    std::vector<int> pre_a, pre_b;
    for (int i = 0; i < 21; ++i)
      pre_a.push_back(11 + static_cast<int>(trialstats::stats::uniform_index(z.engine(), 8)));
    for (int i = 0; i < 21; ++i)
      pre_b.push_back(11 + static_cast<int>(trialstats::stats::uniform_index(z.engine(), 8)));
    const std::vector<int> post_a = tender_after(z, pre_a, -22, 24), post_b = tender_after(z, pre_b, -41, 24);
    std::ofstream out = open(dir, "pilot_tender_points.csv");
    out << "patient,arm,tender_baseline,tender_week12\n";
    for (int i = 0; i < 21; ++i)
      out << fmt::format("P{:02d},acupuncture,{},{}\n", i + 1, pre_a[static_cast<std::size_t>(i)],
                         post_a[static_cast<std::size_t>(i)]);
    for (int i = 0; i < 21; ++i)
      out << fmt::format("P{:02d},acupuncture_tuina,{},{}\n", i + 22, pre_b[static_cast<std::size_t>(i)],
                         post_b[static_cast<std::size_t>(i)]);
  }

  // The HRV trial: 94 patients, 47 per arm; RMSSD change 8.22 ms (acupuncture) vs 6.00 ms (control),
  // i.e. 37% greater; fatigue change (7-day diary mean, 0-10) correlated with RMSSD change at r = -0.62.
  {
    Normal z(505);
    constexpr int n = 94, per_arm = 47;
    std::vector<double> d_rmssd(n), arm(n), noise(n);
    for (int a = 0; a < 2; ++a) {
      std::vector<double> v(per_arm);
      double m = 0, ss = 0;
      for (auto& x : v) m += (x = z());
      m /= per_arm;
      for (auto& x : v) ss += (x - m) * (x - m);
      const double sd = std::sqrt(ss / (per_arm - 1));
      for (int i = 0; i < per_arm; ++i) {
        const std::size_t k = static_cast<std::size_t>(a * per_arm + i);
        arm[k] = a == 0 ? 1 : 0;
        d_rmssd[k] = round_to((a == 0 ? 8.22 : 6.00) + 5.0 * (v[static_cast<std::size_t>(i)] - m) / sd, 1);
      }
    }
    // noise orthogonal to 1, arm and the RMSSD change (Gram–Schmidt), so that r is exactly the target
    for (auto& e : noise) e = z();
    std::vector<std::vector<double>> basis = {std::vector<double>(n, 1.0), arm, d_rmssd};
    std::vector<std::vector<double>> ortho;
    for (auto b : basis) {
      for (const auto& q : ortho) {
        double dot = 0;
        for (int i = 0; i < n; ++i) dot += b[static_cast<std::size_t>(i)] * q[static_cast<std::size_t>(i)];
        for (int i = 0; i < n; ++i) b[static_cast<std::size_t>(i)] -= dot * q[static_cast<std::size_t>(i)];
      }
      double norm = 0;
      for (const double x : b) norm += x * x;
      for (auto& x : b) x /= std::sqrt(norm);
      ortho.push_back(b);
    }
    for (const auto& q : ortho) {
      double dot = 0;
      for (int i = 0; i < n; ++i) dot += noise[static_cast<std::size_t>(i)] * q[static_cast<std::size_t>(i)];
      for (int i = 0; i < n; ++i) noise[static_cast<std::size_t>(i)] -= dot * q[static_cast<std::size_t>(i)];
    }
    double m_r = 0, ss_r = 0, ss_e = 0;
    for (const double x : d_rmssd) m_r += x / n;
    for (int i = 0; i < n; ++i) {
      ss_r += (d_rmssd[static_cast<std::size_t>(i)] - m_r) * (d_rmssd[static_cast<std::size_t>(i)] - m_r);
      ss_e += noise[static_cast<std::size_t>(i)] * noise[static_cast<std::size_t>(i)];
    }
    const double r = -0.62, b = -0.15;
    const double c = std::fabs(b) * std::sqrt(ss_r / ss_e) * std::sqrt(1 / (r * r) - 1);

    std::ofstream trial = open(dir, "hrv_trial.csv");
    std::ofstream diary = open(dir, "diaries.csv");
    trial << "patient,arm,lf_pre,lf_post,hf_pre,hf_post,rmssd_pre,rmssd_post,fatigue_pre,fatigue_post\n";
    diary << "patient,day,pain,fatigue,sleep_quality,flare\n";
    for (int i = 0; i < n; ++i) {
      const std::size_t k = static_cast<std::size_t>(i);
      const bool acu = arm[k] == 1;
      const std::string id = fmt::format("H{:02d}", i + 1);
      // 7-day baseline diary: pain and fatigue 0-10, sleep quality 1-5, flare after exertion 0/1
      const double pain0 = std::clamp(6.5 + 1.2 * z(), 3.0, 9.5), fat0 = std::clamp(7.0 + 1.0 * z(), 4.0, 9.5);
      const double sleep0 = std::clamp(2.3 + 0.6 * z(), 1.0, 4.5);
      double fatigue_sum = 0;
      for (int day = 1; day <= 7; ++day) {
        const int p = std::clamp(static_cast<int>(std::lround(pain0 + 0.9 * z())), 0, 10);
        const int f = std::clamp(static_cast<int>(std::lround(fat0 + 0.9 * z())), 0, 10);
        const int s = std::clamp(static_cast<int>(std::lround(sleep0 + 0.7 * z())), 1, 5);
        const int flare = z.uniform() < 0.2 ? 1 : 0;
        fatigue_sum += f;
        diary << fmt::format("{},{},{},{},{},{}\n", id, day, p, f, s, flare);
      }
      const double fatigue_pre = round_to(fatigue_sum / 7, 1);
      const double d_fatigue = round_to(-0.5 + b * d_rmssd[k] + c * noise[k], 1);
      const double fatigue_post = round_to(fatigue_pre + d_fatigue, 1);
      if (fatigue_post < 0 || fatigue_post > 10) fail(fmt::format("fatigue after 8 weeks out of 0-10 for {}", id));
      const double rmssd_pre = round_to(std::max(12.0, 27.0 + 7.0 * z()), 1);
      const double rmssd_post = round_to(rmssd_pre + d_rmssd[k], 1);
      if (rmssd_post <= 0) fail("RMSSD after 8 weeks not positive");
      const double lf_pre = std::round(std::max(150.0, 520 + 140 * z()));
      const double lf_post = std::round(lf_pre * std::exp((acu ? -0.12 : -0.03) + 0.10 * z()));
      const double hf_pre = std::round(std::max(80.0, 270 + 80 * z()));
      const double hf_post = std::round(hf_pre * std::exp((acu ? 0.22 : 0.06) + 0.12 * z()));
      trial << fmt::format("{},{},{:.0f},{:.0f},{:.0f},{:.0f},{:.1f},{:.1f},{:.1f},{:.1f}\n", id,
                           acu ? "acupuncture" : "control", lf_pre, lf_post, hf_pre, hf_post, rmssd_pre, rmssd_post,
                           fatigue_pre, fatigue_post);
    }
  }

  // The survey: 1,273 licensed acupuncturists, 1,095 (86.0%) reporting patients who confuse
  // acupuncture with dry needling; answers in random order.
  {
    Normal z(606);
    constexpr std::size_t n = 1273, yes = 1095;
    std::vector<int> answer(n, 0);
    std::fill(answer.begin(), answer.begin() + yes, 1);
    for (std::size_t i = n - 1; i > 0; --i)
      std::swap(answer[i], answer[trialstats::stats::uniform_index(z.engine(), i + 1)]);
    const std::vector<std::string> regions = {"Northeast", "Midwest", "South", "West"};
    std::ofstream out = open(dir, "survey.csv");
    out << "respondent,region,years_licensed,reports_confusion\n";
    for (std::size_t i = 0; i < n; ++i)
      out << fmt::format("{},{},{},{}\n", i + 1, regions[trialstats::stats::uniform_index(z.engine(), 4)],
                         1 + trialstats::stats::uniform_index(z.engine(), 35), answer[i]);
  }
  return 0;
}
