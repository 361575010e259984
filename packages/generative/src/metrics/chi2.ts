import { ValueError } from '@sciml/linalg';

// 99 % quantiles of the χ² distribution with 1 … 30 degrees of freedom (Jonsson 2018, Table/code; they agree
// with scipy.stats.chi2.ppf(0.99, k) to the digits shown)
const CHI2_Q99 = [
  6.634897, 9.21034, 11.344867, 13.276704, 15.086272, 16.811894, 18.475307, 20.090235, 21.665994,
  23.209251, 24.72497, 26.216967, 27.68825, 29.141238, 30.577914, 31.999927, 33.408664, 34.805306,
  36.190869, 37.566235, 38.932173, 40.28936, 41.638398, 42.97982, 44.314105, 45.641683, 46.962942,
  48.278236, 49.587884, 50.892181,
];

/** The 99 % quantile of the χ² distribution with `dof` ∈ 1…30 degrees of freedom (a tabulated value). */
export function chi2Quantile99(dof: number): number {
  if (!Number.isInteger(dof) || dof < 1 || dof > CHI2_Q99.length)
    throw new ValueError('chi2Quantile99', `dof must be an integer in [1, 30], got ${dof}`);
  return CHI2_Q99[dof - 1]!;
}
