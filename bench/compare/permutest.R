# metafor's side of bench/compare/permutest.sh: permutest of a one-moderator model on dat.bcg.
# Usage: Rscript bench/compare/permutest.R ITER
suppressPackageStartupMessages(library(metafor))
iter <- as.integer(commandArgs(trailingOnly = TRUE)[1])
dat <- escalc(measure = "RR", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg)
set.seed(42)
pt <- permutest(rma(yi, vi, mods = ~ ablat, data = dat), iter = iter, progbar = FALSE)
cat(sprintf("metafor permutest: pval ablat %.4f, QMp %.4f\n", pt$pval[2], pt$QMp))
