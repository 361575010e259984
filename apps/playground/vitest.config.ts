import { sciMLProject } from '@sciml/config/vitest';
import { defineProject } from 'vitest/config';

const SLOW = process.env.SCIML_TEST_TIER === 'slow';
const SLOW_FILES = ['src/**/*.slow.test.ts', 'e2e/**/*.slow.test.ts'];

// The demos' numbers (Node, src/) and the real-browser end-to-end tests (e2e/, Debian's chromium).
export default defineProject(
  sciMLProject('playground', {
    include: SLOW ? SLOW_FILES : ['src/**/*.test.ts', 'e2e/**/*.test.ts'],
    exclude: SLOW ? ['**/node_modules/**'] : ['**/node_modules/**', ...SLOW_FILES],
  }),
);
