# Writes a simulation-study CSV: `n` meta-analyses of `k` studies each, columns analysis, study, yi, vi.
# Usage: Rscript gen_batch.R OUT.csv [n = 10000] [k = 13] [seed = 20261130]
args <- commandArgs(trailingOnly = TRUE)
out <- args[1]
n <- if (length(args) > 1) as.integer(args[2]) else 10000L
k <- if (length(args) > 2) as.integer(args[3]) else 13L
set.seed(if (length(args) > 3) as.integer(args[4]) else 20261130L)
analysis <- rep(seq_len(n), each = k)
vi <- runif(n * k, 0.01, 0.2)
tau2 <- rep(runif(n, 0, 0.3), each = k)
yi <- rnorm(n * k, mean = rep(rnorm(n, -0.5, 0.3), each = k), sd = sqrt(vi + tau2))
d <- data.frame(analysis = analysis, study = rep(seq_len(k), n), yi = sprintf("%.17g", yi), vi = sprintf("%.17g", vi))
write.csv(d, out, row.names = FALSE, quote = FALSE)
