// The shared-memory protocol between a WorkerVectorEnv and its worker threads (one control block per worker).

/** Int32 slots of a worker's control block. */
export const SLOT = {
  /** Incremented by the main thread to post a command. */
  request: 0,
  command: 1,
  /** Set by the worker to the request number it finished. */
  done: 2,
  /** 0 = ok, 1 = error (message in the text buffer). */
  status: 3,
  /** Index of the env that failed. */
  failedEnv: 4,
  /** Bytes of JSON in the text buffer. */
  textLength: 5,
  /** Command argument: seed (reset) or env index (push). */
  arg: 6,
} as const;

export const COMMAND = { reset: 1, step: 2, push: 3, close: 4 } as const;

export const CONTROL_INTS = 8;
export const TEXT_BYTES = 64 * 1024;

export interface WorkerSetup {
  id: string;
  config: unknown;
  modules: string[];
  /** How long the worker polls for the next request before sleeping (ms). */
  spinMs: number;
  /** Global index of this worker's first env, and how many it runs. */
  first: number;
  count: number;
  numEnvs: number;
  control: Int32Array;
  text: Uint8Array;
  /** The batch arrays (SharedArrayBuffer-backed), by name. */
  arrays: Record<string, Float32Array | Uint8Array | Int32Array>;
  obsKeys: string[];
  actionDim: number;
  shapes: Record<string, number>;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Writes JSON into the text buffer and its length into the control block. */
export function writeText(control: Int32Array, text: Uint8Array, value: unknown): void {
  const bytes = encoder.encode(JSON.stringify(value));
  const n = Math.min(bytes.length, text.length);
  text.set(bytes.subarray(0, n));
  Atomics.store(control, SLOT.textLength, n);
}

export function readText(control: Int32Array, text: Uint8Array): unknown {
  const n = Atomics.load(control, SLOT.textLength);
  return JSON.parse(decoder.decode(text.slice(0, n)));
}

/**
 * Blocks this thread until `control[slot]` differs from `seen`: spins for `spinMs` first (a
 * futex wake-up costs far more than a short poll on a virtual machine), then sleeps. Loops,
 * because a wake-up proves nothing: a notify meant for an earlier value can arrive late.
 */
export function awaitChange(control: Int32Array, slot: number, seen: number, spinMs: number): void {
  const until = performance.now() + spinMs;
  while (Atomics.load(control, slot) === seen) {
    if (performance.now() > until) Atomics.wait(control, slot, seen);
  }
}

/**
 * Resolves once `control[slot]` equals `target`: blocking for up to `blockMs` (quicker than an
 * event-loop round trip), then without blocking, raced against `dead` so a crashed thread
 * surfaces as an error instead of a hang. Rechecks after every wake-up, as `awaitChange` does.
 */
export async function awaitValue(control: Int32Array, slot: number, target: number, blockMs: number, dead: Promise<never>): Promise<void> {
  const deadline = performance.now() + blockMs;
  for (let v = Atomics.load(control, slot); v !== target; v = Atomics.load(control, slot)) {
    const left = deadline - performance.now();
    if (left > 0) {
      Atomics.wait(control, slot, v, left);
      continue;
    }
    const wait = Atomics.waitAsync(control, slot, v);
    if (wait.async) await Promise.race([wait.value, dead]);
  }
}
