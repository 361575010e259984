import { sciMLProject } from '@sciml/config/vitest';
import { defineProject } from 'vitest/config';

export default defineProject(sciMLProject('pinn-burgers'));
