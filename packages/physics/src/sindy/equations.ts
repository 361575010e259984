/**
 * One fitted equation as text, pysindy-style: `x' = -10.000 x + 10.000 y`. Terms whose coefficient rounds to
 * zero at `precision` decimals are left out; the constant feature `1` prints as the bare number.
 */
export function formatEquation(
  lhs: string,
  coefficients: ArrayLike<number>,
  names: readonly string[],
  precision: number,
): string {
  const terms: string[] = [];
  for (let j = 0; j < names.length; j++) {
    const c = coefficients[j]!;
    const magnitude = Math.abs(c).toFixed(precision);
    if (Number(magnitude) === 0) continue;
    const body = names[j] === '1' ? magnitude : `${magnitude} ${names[j]}`;
    if (terms.length === 0) terms.push(c < 0 ? `-${body}` : body);
    else terms.push(c < 0 ? `- ${body}` : `+ ${body}`);
  }
  return `${lhs}' = ${terms.length === 0 ? (0).toFixed(precision) : terms.join(' ')}`;
}
