import { runBenchmark } from './harness/index.js';
import { emulatorCases } from './physics-emulators.js';
await runBenchmark({ name: 'emuonly', cases: emulatorCases.slice(0, 2), reps: 9 });
