import { sciMLProject } from '@sciml/config/vitest';
import { defineProject } from 'vitest/config';

// Unit tests of the harness itself; the *.bench.ts files are run by `pnpm bench <name>`, never by vitest.
export default defineProject(sciMLProject('benchmarks'));
