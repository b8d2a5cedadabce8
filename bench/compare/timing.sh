# Wall-clock timing for the whole-process comparisons (sourced by pool_batch.sh and permutest.sh).
# Bash's own clock ($EPOCHREALTIME) is read without starting a process, so a run of a few
# milliseconds is not inflated by the timer; the median of several runs damps the machine's noise.

# seconds CMD ARGS...: elapsed seconds of one run, its output discarded.
seconds() {
  local start=$EPOCHREALTIME
  "$@" >/dev/null
  local end=$EPOCHREALTIME
  echo "$end - $start" | bc -l
}

# median_seconds RUNS CMD ARGS...: the median elapsed seconds of RUNS runs (RUNS odd).
median_seconds() {
  local runs=$1 i
  shift
  for ((i = 0; i < runs; ++i)); do seconds "$@"; done | sort -g | sed -n "$(((runs + 1) / 2))p"
}
