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
