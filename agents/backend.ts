// TensorFlow.js backend selection: the fastest backend that loads (tfjs-node-gpu, tfjs-node, wasm, cpu), always logged.
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { registerTransposeGradients } from './grad-fix.ts';

export const BACKENDS = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const;
export const BackendChoiceSchema = z.enum(['auto', ...BACKENDS]);
export type BackendChoice = z.output<typeof BackendChoiceSchema>;

/** What `initBackend` settled on. */
export interface BackendInfo {
  /** tfjs backend name in use ('tensorflow' for both native packages, 'wasm', 'cpu'). */
  name: string;
  /** The package that provided it. */
  source: string;
  /** Backends tried before it, with the reason each was skipped. */
  skipped: string[];
  /** Whether the explicit-transpose matMul gradients are registered (wasm only). */
  transposeGradients: boolean;
}

let active: BackendInfo | null = null;

/** Loads one candidate; resolves to the tfjs backend name it registers, or throws why not. */
async function load(candidate: (typeof BACKENDS)[number]): Promise<{ name: string; source: string }> {
  switch (candidate) {
    case 'tensorflow-gpu':
      await import('@tensorflow/tfjs-node-gpu' as string);
      return { name: 'tensorflow', source: '@tensorflow/tfjs-node-gpu' };
    case 'tensorflow':
      await import('@tensorflow/tfjs-node' as string);
      return { name: 'tensorflow', source: '@tensorflow/tfjs-node' };
    case 'wasm':
      await import('@tensorflow/tfjs-backend-wasm');
      return { name: 'wasm', source: '@tensorflow/tfjs-backend-wasm' };
    case 'cpu':
      return { name: 'cpu', source: '@tensorflow/tfjs (pure JavaScript)' };
  }
}

function reason(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  if (/Cannot find (package|module)/.test(msg)) return 'not installed';
  return msg.split('\n')[0]!.slice(0, 160);
}

/**
 * Selects the TensorFlow.js backend: `auto` tries tfjs-node-gpu, tfjs-node (both optional
 * dependencies), wasm, then cpu; a named choice must load or this throws. Idempotent for the
 * same choice. Logs the result through `log` (pass `() => {}` to silence).
 */
export async function initBackend(choice: BackendChoice = 'auto', log: (line: string) => void = (l) => console.error(l)): Promise<BackendInfo> {
  if (active && (choice === 'auto' || BACKENDS.includes(choice as never) && backendMatches(choice))) return active;
  const candidates = choice === 'auto' ? [...BACKENDS] : [choice];
  const skipped: string[] = [];
  for (const candidate of candidates) {
    try {
      const { name, source } = await load(candidate);
      if (!(await tf.setBackend(name))) throw new Error(`tf.setBackend('${name}') failed`);
      await tf.ready();
      const transposeGradients = name === 'wasm';
      registerTransposeGradients(transposeGradients);
      active = { name, source, skipped, transposeGradients };
      log(`[paddock] TensorFlow.js backend: ${name} (${source})${skipped.length ? `; skipped ${skipped.join('; ')}` : ''}`);
      return active;
    } catch (err) {
      if (choice !== 'auto') throw new Error(`backend '${choice}' is not available here: ${reason(err)}`);
      skipped.push(`${candidate}: ${reason(err)}`);
    }
  }
  throw new Error(`no TensorFlow.js backend loaded (${skipped.join('; ')})`);
}

function backendMatches(choice: BackendChoice): boolean {
  const name = choice === 'tensorflow-gpu' ? 'tensorflow' : choice;
  return active?.name === name;
}

/** The backend chosen by `initBackend`, or null before it ran. */
export function activeBackend(): BackendInfo | null {
  return active;
}
