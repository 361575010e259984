/**
 * Acquiring a WebGPU adapter and device: from a caller's `GPU` object (a browser's `navigator.gpu`) or from
 * Dawn's Node binding (the `webgpu` package, imported lazily so the package entry loads without it).
 */
import { GpuUnavailableError, HOW_TO_GET_AN_ADAPTER } from '../errors.js';
import { localVulkanLoader } from './vulkan-loader.js';

/** How to find the adapter. */
export interface AdapterOptions {
  /** A `GPU` object to use (e.g. `navigator.gpu`); default: `create(flags)` from the `webgpu` package. */
  readonly gpu?: GPU;
  /** Passed to `requestAdapter`. */
  readonly powerPreference?: GPUPowerPreference;
  /**
   * Picks the adapter whose description, device, vendor or architecture contains this text
   * (case-insensitive); in Node it is also passed to Dawn as `adapter=<name>`.
   */
  readonly adapterName?: string;
  /** Dawn toggles to enable / disable (Node only; passed as `enable-dawn-features=` / `disable-dawn-features=`). */
  readonly toggles?: { readonly enable?: readonly string[]; readonly disable?: readonly string[] };
  /** Extra raw flags for the `webgpu` package's `create([...])` (Node only). */
  readonly dawnFlags?: readonly string[];
}

/** What the adapter says about itself. */
export interface AdapterInfo {
  /** Vendor name, e.g. `nvidia` or `mesa`. */
  readonly vendor: string;
  /** Architecture, e.g. `hopper` or `software`. */
  readonly architecture: string;
  /** Device name as the driver reports it. */
  readonly device: string;
  /** Human-readable description of the adapter. */
  readonly description: string;
  /** True for a CPU implementation (Mesa lavapipe / llvmpipe, SwiftShader, WARP). */
  readonly isSoftware: boolean;
  /** The optional features the device was created with. */
  readonly features: readonly string[];
}

/** An acquired device with what it came from. */
export interface AcquiredDevice {
  /** The `GPU` object the adapter came from. */
  readonly gpu: GPU;
  /** The adapter. */
  readonly adapter: GPUAdapter;
  /** The device created on it. */
  readonly device: GPUDevice;
  /** What the adapter says about itself. */
  readonly info: AdapterInfo;
  /** True when this module created the `GPU` object (it must then be released to let Node exit). */
  readonly ownsGpu: boolean;
}

/** The `create` function of the `webgpu` package, loaded on first use. */
async function loadDawn(): Promise<{ create: (flags: string[]) => GPU; globals: object }> {
  try {
    const mod = (await import('webgpu')) as unknown as {
      create: (flags: string[]) => GPU;
      globals: object;
    };
    return mod;
  } catch (error) {
    throw new GpuUnavailableError(
      'createGpuBackend',
      `could not load the 'webgpu' package (${error instanceof Error ? error.message : String(error)}); ` +
        `install it (pnpm add webgpu) or pass the 'gpu' option; then ${HOW_TO_GET_AN_ADAPTER}`,
    );
  }
}

/** Flags for Dawn's `create([...])` from the options. */
export function dawnFlagsFor(options: AdapterOptions): string[] {
  const flags = [...(options.dawnFlags ?? [])];
  if (options.adapterName) flags.push(`adapter=${options.adapterName}`);
  if (options.toggles?.enable?.length)
    flags.push(`enable-dawn-features=${options.toggles.enable.join(',')}`);
  if (options.toggles?.disable?.length)
    flags.push(`disable-dawn-features=${options.toggles.disable.join(',')}`);
  return flags;
}

function describe(adapter: GPUAdapter, device: GPUDevice): AdapterInfo {
  const i = adapter.info;
  const vendor = i?.vendor ?? '';
  const architecture = i?.architecture ?? '';
  const dev = i?.device ?? '';
  const description = i?.description ?? '';
  const text = `${vendor} ${architecture} ${dev} ${description}`.toLowerCase();
  return {
    vendor,
    architecture,
    device: dev,
    description,
    isSoftware: /llvmpipe|lavapipe|swiftshader|software|warp/.test(text),
    features: [...device.features].sort(),
  };
}

function matchesName(info: GPUAdapterInfo | undefined, name: string): boolean {
  if (!info) return false;
  const text =
    `${info.vendor} ${info.architecture} ${info.device} ${info.description}`.toLowerCase();
  return text.includes(name.toLowerCase());
}

/** Limits the kernels need, raised to what the adapter offers. */
function requiredLimits(adapter: GPUAdapter): Record<string, number> {
  const l = adapter.limits;
  return {
    maxStorageBuffersPerShaderStage: Math.min(l.maxStorageBuffersPerShaderStage, 10),
    maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize,
    maxComputeInvocationsPerWorkgroup: l.maxComputeInvocationsPerWorkgroup,
    maxComputeWorkgroupSizeX: l.maxComputeWorkgroupSizeX,
    maxComputeWorkgroupSizeY: l.maxComputeWorkgroupSizeY,
    maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
    maxBufferSize: l.maxBufferSize,
  };
}

/**
 * Finds an adapter and creates a device with the limits the kernels need. Throws `GpuUnavailableError`
 * (with how to get an adapter) when there is none.
 */
export async function acquireDevice(options: AdapterOptions = {}): Promise<AcquiredDevice> {
  let gpu = options.gpu;
  let ownsGpu = false;
  if (!gpu) {
    if ((await localVulkanLoader()) === undefined) {
      throw new GpuUnavailableError(
        'createGpuBackend',
        `no Vulkan loader (libvulkan.so.1) is installed, so Dawn has no adapter to offer; ${HOW_TO_GET_AN_ADAPTER}`,
      );
    }
    const dawn = await loadDawn();
    // Dawn's binding needs its GPU* constants (GPUBufferUsage, ...) as globals.
    Object.assign(globalThis, dawn.globals);
    gpu = dawn.create(dawnFlagsFor(options));
    ownsGpu = true;
  }
  const adapterOptions: GPURequestAdapterOptions = {};
  if (options.powerPreference) adapterOptions.powerPreference = options.powerPreference;
  let adapter: GPUAdapter | null;
  try {
    adapter = await gpu.requestAdapter(adapterOptions);
  } catch (error) {
    // Dawn rejects (rather than answering null) when a named adapter or backend matches nothing
    const why = error instanceof Error ? error.message : String(error);
    throw new GpuUnavailableError(
      'createGpuBackend',
      `the adapter request failed: ${why}; ${HOW_TO_GET_AN_ADAPTER}`,
    );
  }
  if (!adapter) {
    throw new GpuUnavailableError(
      'createGpuBackend',
      `no WebGPU adapter was found; ${HOW_TO_GET_AN_ADAPTER}`,
    );
  }
  if (options.adapterName && !matchesName(adapter.info, options.adapterName)) {
    const i = adapter.info;
    throw new GpuUnavailableError(
      'createGpuBackend',
      `no adapter named like '${options.adapterName}' (found '${i?.description || i?.device || 'unnamed'}'); ` +
        'pass a name from the adapter list, or omit adapterName',
    );
  }
  const features: GPUFeatureName[] = [];
  // optional features used when present (names as strings: older @webgpu/types lack 'subgroups')
  for (const f of ['subgroups', 'timestamp-query']) {
    if (adapter.features.has(f)) features.push(f as GPUFeatureName);
  }
  const device = await adapter.requestDevice({
    requiredFeatures: features,
    requiredLimits: requiredLimits(adapter),
  });
  return { gpu, adapter, device, info: describe(adapter, device), ownsGpu };
}
