# Synthesised inputs of the corr command's tests and examples (no real patients):
#   tests/inputs/corr/hrv_fatigue.csv  94 patients in two arms, pre/post HF, LF, RMSSD, fatigue, pain, sleep, age;
#   tests/inputs/corr/visits.csv       30 patients with 4 visits each (repeated measures).
# Run from the repository root: Rscript tests/reference/scripts/corr_make_inputs.R
set.seed(20260603)
n <- 94
arm <- rep(c("acupuncture", "control"), each = n / 2)
age <- round(rnorm(n, 48, 9))
hf_pre <- round(exp(rnorm(n, 5.5, 0.6)), 1)
lf_pre <- round(exp(rnorm(n, 6.0, 0.5)), 1)
rmssd_pre <- round(exp(rnorm(n, 3.3, 0.4)), 1)
fatigue_pre <- round(pmin(10, pmax(0, rnorm(n, 6.5, 1.4))), 1)
latent <- rnorm(n) + ifelse(arm == "acupuncture", 0.6, 0)
hf_post <- round(hf_pre * exp(0.25 * latent + rnorm(n, 0, 0.12)), 1)
lf_post <- round(lf_pre * exp(-0.10 * latent + rnorm(n, 0, 0.15)), 1)
rmssd_post <- round(rmssd_pre * exp(0.15 * latent + rnorm(n, 0, 0.10)), 1)
fatigue_post <- round(pmin(10, pmax(0, fatigue_pre - 0.9 * latent + rnorm(n, -0.5, 0.9))), 1)
pain <- round(pmin(10, pmax(0, 6 - 0.5 * latent + rnorm(n, 0, 1.2))), 1)
sleep <- round(pmin(10, pmax(0, 5 + 0.4 * latent + rnorm(n, 0, 1.3))), 1)
d <- data.frame(patient = sprintf("P%03d", 1:n), arm, age, hf_pre, hf_post, lf_pre, lf_post, rmssd_pre,
                rmssd_post, fatigue_pre, fatigue_post, pain, sleep)
d$hf_change <- round(d$hf_post - d$hf_pre, 1)
d$fatigue_change <- round(d$fatigue_post - d$fatigue_pre, 1)
d$age[c(17, 58)] <- NA
write.csv(d, "tests/inputs/corr/hrv_fatigue.csv", row.names = FALSE, quote = FALSE, na = "NA")

k <- 30; visits <- 4
subject <- rep(sprintf("S%02d", 1:k), each = visits)
level <- rep(rnorm(k, 0, 2), each = visits)
hf <- round(5 + level + rnorm(k * visits, 0, 0.7), 3)
fatigue <- round(6 - 0.8 * level - 0.5 * (hf - 5 - level) + rnorm(k * visits, 0, 0.5), 3)
write.csv(data.frame(subject, visit = rep(1:visits, k), hf, fatigue), "tests/inputs/corr/visits.csv",
          row.names = FALSE, quote = FALSE)
