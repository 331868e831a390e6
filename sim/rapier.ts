// Loads and initialises a Rapier WASM module once per flavour; the module is injected into every SimWorld.
import type RAPIER from '@dimforge/rapier3d-compat';

export type Rapier = typeof RAPIER;

/** `simd`: Rapier built with WebAssembly SIMD (faster, measured in docs/results.md); `scalar`: the plain build. */
export type RapierFlavor = 'simd' | 'scalar';

const ready = new Map<RapierFlavor, Promise<Rapier>>();

/** Initialises Rapier (idempotent per flavour) and returns the module to pass to `createSimWorld`. */
export function initRapier(flavor: RapierFlavor = 'simd'): Promise<Rapier> {
  let module = ready.get(flavor);
  if (!module) {
    module = load(flavor);
    ready.set(flavor, module);
  }
  return module;
}

async function load(flavor: RapierFlavor): Promise<Rapier> {
  const mod = flavor === 'simd' ? await import('@dimforge/rapier3d-simd-compat') : await import('@dimforge/rapier3d-compat');
  const R = (mod as { default: Rapier }).default;
  await silenceInitWarning(() => R.init());
  return R;
}

/** rapier3d-compat logs a deprecation notice for its own init call; keep the console clean. */
async function silenceInitWarning(fn: () => Promise<void>): Promise<void> {
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (!String(args[0]).includes('deprecated parameters for the initialization function')) warn(...args);
  };
  try {
    await fn();
  } finally {
    console.warn = warn;
  }
}
