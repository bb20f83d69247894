// What the benches share to summarize repeated runs.

/** The median of `xs` (the mean of the middle two for an even count). */
export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Runs per measurement: ROUNDS from the environment (a positive integer), else `fallback`. */
export const envRounds = (fallback) => Math.max(1, Number(process.env.ROUNDS ?? fallback) || fallback);
