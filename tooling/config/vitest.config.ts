import { defineProject } from 'vitest/config';
import { sciMLProject } from './vitest.shared.js';

export default defineProject(sciMLProject('config'));
