# The metafor side of bench/compare/pool_batch.sh: one rma() per analysis of a long CSV.
# Usage: Rscript metafor_batch.R IN.csv METHOD TEST OUT.csv
args <- commandArgs(trailingOnly = TRUE)
suppressPackageStartupMessages(library(metafor))
d <- read.csv(args[1])
fits <- lapply(split(d, d$analysis), function(g) {
  fit <- tryCatch(rma(yi, vi, data = g, method = args[2], test = args[3]), error = function(e) NULL)
  if (is.null(fit)) c(estimate = NA, se = NA, tau2 = NA)  # e.g. Fisher scoring did not converge
  else c(estimate = fit$b[1], se = fit$se, tau2 = fit$tau2)
})
res <- do.call(rbind, fits)
write.csv(data.frame(analysis = names(fits), res), args[4], row.names = FALSE)
