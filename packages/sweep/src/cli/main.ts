#!/usr/bin/env node
// The sciml-sweep executable. Everything lives in commands.ts; this file only sets the exit status.
import { main } from './commands.js';

process.exitCode = await main(process.argv.slice(2));
