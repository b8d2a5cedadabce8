# metafor's leave1out(rma) + influence(rma) on a CSV with columns yi, vi: elapsed seconds.
# Usage: Rscript influence.R IN.csv [refits]
#   refits absent: the whole leave1out() and influence(); given: only that many case-deletion refits of
#   each (the same rma.uni call with subset = -i and the model's control that leave1out/influence make),
#   for a k at which the whole run would take hours; the script then prints the time per refit.
suppressPackageStartupMessages(library(metafor))
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1])
refits <- if (length(args) > 1) as.integer(args[2]) else NA
t0 <- proc.time()[["elapsed"]]
fit <- rma(yi, vi, data = d)
t_fit <- proc.time()[["elapsed"]] - t0
if (is.na(refits)) {
  l <- leave1out(fit)
  inf <- influence(fit)
  cat(sprintf("metafor %s k=%d: rma + leave1out + influence: %.2f s\n", packageVersion("metafor"), fit$k,
              proc.time()[["elapsed"]] - t0))
} else {
  t1 <- proc.time()[["elapsed"]]
  for (i in seq_len(refits)) {
    rma.uni(yi = fit$yi, vi = fit$vi, method = fit$method, test = fit$test, control = fit$control, subset = -i)
  }
  per <- (proc.time()[["elapsed"]] - t1) / refits
  cat(sprintf("metafor %s k=%d: rma %.2f s; %.2f s per refit (%d timed); 2k = %d refits extrapolated: %.0f s\n",
              packageVersion("metafor"), fit$k, t_fit, per, refits, 2 * fit$k, t_fit + 2 * fit$k * per))
}
