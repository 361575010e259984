import { BackendError } from '../core/errors.js';
import { cpuBackend } from '../cpu/cpu-backend.js';
import type { Backend } from './backend.js';

const backends = new Map<string, Backend>([[cpuBackend.name, cpuBackend]]);
let current: Backend = cpuBackend;

/** Registers a backend under its name (replacing one of the same name); does not select it. */
export function registerBackend(backend: Backend): void {
  backends.set(backend.name, backend);
}

/** Removes a registered backend; the CPU backend cannot be removed. If it was selected, CPU is selected. */
export function unregisterBackend(name: string): void {
  if (name === cpuBackend.name)
    throw new BackendError('unregisterBackend', 'the cpu backend is built in');
  if (current.name === name) current = cpuBackend;
  backends.delete(name);
}

/** Selects the backend new arrays are created on (by name or object; objects are registered first). */
export function setBackend(backend: string | Backend): Backend {
  if (typeof backend !== 'string') registerBackend(backend);
  const name = typeof backend === 'string' ? backend : backend.name;
  const found = backends.get(name);
  if (!found) {
    throw new BackendError(
      'setBackend',
      `no backend named '${name}' (registered: ${[...backends.keys()].join(', ')}); register it first, e.g. with useGpu() from @sciml/gpu`,
    );
  }
  current = found;
  return found;
}

/** The selected backend, or the one registered under `name`. */
export function getBackend(name?: string): Backend {
  if (name === undefined) return current;
  const found = backends.get(name);
  if (!found) throw new BackendError('getBackend', `no backend named '${name}'`);
  return found;
}

/** Names of the registered backends. */
export function listBackends(): string[] {
  return [...backends.keys()];
}

/** The backend named by `b` (a registered name or a backend object), or the selected one when omitted. */
export function resolveBackend(b: Backend | string | undefined): Backend {
  return b === undefined ? current : typeof b === 'string' ? getBackend(b) : b;
}
