import { defineProject } from 'vitest/config';
import { readmeBlocks } from './readme/plugin.js';
import { sciMLProject } from './vitest.shared.js';

// The config project also runs every package README's code blocks (test/readmes.test.ts).
export default defineProject({ ...sciMLProject('config'), plugins: [readmeBlocks()] });
