/**
 * Typed errors of the GPU backend. All extend @sciml/linalg's `BackendError`, so code that catches backend
 * problems generically keeps working; each message carries the adapter's own words and a fix.
 */
import { BackendError } from '@sciml/linalg';

/** No WebGPU adapter could be acquired (no driver, no `navigator.gpu`, or the `webgpu` package is missing). */
export class GpuUnavailableError extends BackendError {}

/** The device was lost (driver reset, `destroy()`, or a fatal error); arrays on it are gone. */
export class GpuDeviceLostError extends BackendError {
  /** The reason the adapter gave (`'destroyed'` or `'unknown'`). */
  readonly reason: string;

  constructor(op: string, message: string, reason: string) {
    super(op, message);
    this.reason = reason;
  }
}

/** A buffer could not be allocated on the device. */
export class GpuOutOfMemoryError extends BackendError {}

/** A WGSL kernel failed to compile; names the kernel and shows the offending line. */
export class WgslCompileError extends BackendError {
  /** Name of the kernel (e.g. `matmul_16x16_4x4`). */
  readonly kernel: string;
  /** 1-based line of the first error in the generated source (0 when the compiler gave none). */
  readonly line: number;

  constructor(kernel: string, message: string, line: number) {
    super('compile', `kernel '${kernel}': ${message}`);
    this.kernel = kernel;
    this.line = line;
  }
}

/** The device reported a validation error for an operation (a bug in a kernel or in its use). */
export class GpuValidationError extends BackendError {}

/** How to get an adapter, appended to every {@link GpuUnavailableError}. */
export const HOW_TO_GET_AN_ADAPTER =
  'install a Vulkan driver (on a machine without a GPU, Mesa lavapipe: apt-get install mesa-vulkan-drivers ' +
  "libvulkan1, version 25 or newer, e.g. from Debian bookworm-backports), or pass a browser's navigator.gpu " +
  'as the `gpu` option';
