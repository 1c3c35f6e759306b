/**
 * M/G/∞ statistics for the aggregate mode. With Poisson arrivals at rate λ and mean service time E[S], the
 * number of busy containers is Poisson with mean m = λ·E[S] at any instant, whatever the service-time
 * distribution. The peak over an interval T is at least k when either k are busy at its start or the busy
 * count up-crosses k − 1 → k inside it; up-crossings happen at rate λ·P(N = k − 1). So
 *   P(peak ≥ k) ≈ 1 − P(N < k)·exp(−λT·P(N = k − 1))
 * (up-crossings treated as a Poisson stream; they cluster, so this over-states peaks by a few per cent, which
 * the agreement test bounds). A peak is drawn by inverting it at u.
 */

const LN_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** ln(k!) by Stirling's series (exact enough for k ≥ 10), a table below. */
function lnFactorial(k: number): number {
  if (k < 10) {
    let r = 0;
    for (let i = 2; i <= k; i++) r += Math.log(i);
    return r;
  }
  const x = k + 1;
  return (x - 0.5) * Math.log(x) - x + LN_SQRT_2PI + 1 / (12 * x) - 1 / (360 * x * x * x);
}

/**
 * The peak busy count over an interval of `intervalMs`, at quantile `1 − u` of its distribution, for Poisson
 * arrivals at `ratePerMs` and mean service `meanServiceMs`. Capped at `cap` (e.g. the arrivals in the
 * interval plus those already running). u in (0, 1].
 */
export function drawPeak(
  ratePerMs: number,
  meanServiceMs: number,
  intervalMs: number,
  u: number,
  cap: number,
): number {
  if (ratePerMs <= 0 || cap <= 0) return 0;
  const m = ratePerMs * meanServiceMs;
  const crossings = ratePerMs * intervalMs;
  if (m <= 0) return Math.min(cap, crossings > 0 ? 1 : 0);
  // Walk k upward from the mode region; P(peak ≥ k) is non-increasing in k.
  // Start where P(N ≥ k) is still ~1: k0 = max(1, floor(m − 8√m)).
  let k = Math.max(1, Math.floor(m - 8 * Math.sqrt(m)));
  const lnM = Math.log(m);
  // pmf(k−1) and tail P(N ≥ k) = 1 − cdf(k−1); cdf below k0 is negligible by construction when k0 > 1.
  let pmfPrev = Math.exp(-m + (k - 1) * lnM - lnFactorial(k - 1));
  let cdfPrev = k === 1 ? pmfPrev : 0;
  if (k > 1) {
    // Sum the left part only when it matters (small m).
    for (let j = 0; j <= k - 1; j++) cdfPrev += Math.exp(-m + j * lnM - lnFactorial(j));
  }
  let best = 0;
  for (; k <= cap; k++) {
    const p = 1 - cdfPrev * Math.exp(-crossings * pmfPrev);
    if (p < u) break;
    best = k;
    const pmfK = (pmfPrev * m) / k;
    cdfPrev += pmfK;
    pmfPrev = pmfK;
  }
  // At least one arrival expected in the interval: the caller knows it had arrivals, so the peak is at least 1.
  return crossings >= 1 ? Math.max(1, best) : best;
}

/** The Poisson(mean) quantile at probability u in [0, 1): the smallest k with P(N ≤ k) > u. */
export function poissonQuantile(mean: number, u: number): number {
  if (mean <= 0) return 0;
  if (mean > 500) {
    // Normal approximation with continuity correction: exact enough at these means, and O(1).
    const z = normalQuantile(u);
    return Math.max(0, Math.round(mean + z * Math.sqrt(mean)));
  }
  let k = 0;
  let pmf = Math.exp(-mean);
  let cdf = pmf;
  while (cdf <= u && k < mean + 50 * Math.sqrt(mean) + 50) {
    k++;
    pmf = (pmf * mean) / k;
    cdf += pmf;
  }
  return k;
}

/** Acklam's rational approximation of the standard normal quantile (relative error < 1.2e-9). */
function normalQuantile(p: number): number {
  const q = Math.min(Math.max(p, 1e-12), 1 - 1e-12);
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const [a0, a1, a2, a3, a4, a5] = a as [number, number, number, number, number, number];
  const [b0, b1, b2, b3, b4] = b as [number, number, number, number, number];
  const [c0, c1, c2, c3, c4, c5] = c as [number, number, number, number, number, number];
  const [d0, d1, d2, d3] = d as [number, number, number, number];
  if (q < 0.02425) {
    const r = Math.sqrt(-2 * Math.log(q));
    return (
      (((((c0 * r + c1) * r + c2) * r + c3) * r + c4) * r + c5) /
      ((((d0 * r + d1) * r + d2) * r + d3) * r + 1)
    );
  }
  if (q > 1 - 0.02425) {
    const r = Math.sqrt(-2 * Math.log(1 - q));
    return (
      -(((((c0 * r + c1) * r + c2) * r + c3) * r + c4) * r + c5) /
      ((((d0 * r + d1) * r + d2) * r + d3) * r + 1)
    );
  }
  const r = q - 0.5;
  const s = r * r;
  return (
    ((((((a0 * s + a1) * s + a2) * s + a3) * s + a4) * s + a5) * r) /
    (((((b0 * s + b1) * s + b2) * s + b3) * s + b4) * s + 1)
  );
}
