// Hansen's regularisation test problems; re-exported by ../index.ts.
export { baart } from './baart.js';
export { deriv2 } from './deriv2.js';
export { gravity } from './gravity.js';
export { heat } from './heat.js';
export { phillips } from './phillips.js';
export type { TestProblem, TestProblemOptions } from './problem.js';
export { shaw } from './shaw.js';
