// Vector-env hand-off protocol: waits return only when the awaited value is there, never on a stale wake-up.
import { describe, expect, it } from 'vitest';
import { Worker } from 'node:worker_threads';
import { awaitChange, awaitValue } from '../../../tasks/vector/protocol.ts';

/**
 * A thread that, after 5 ms, wakes every waiter on `control[0]` without changing it (a notify
 * that arrives late, meant for an earlier value), then after `thenMs` more sets it to `value`.
 */
function lateNotifier(control: Int32Array, value: number, thenMs: number): Worker {
  const code = `
    const { workerData } = require('node:worker_threads');
    const { control, value, thenMs } = workerData;
    const nap = new Int32Array(new SharedArrayBuffer(4));
    Atomics.wait(nap, 0, 0, 5);
    Atomics.notify(control, 0);
    Atomics.wait(nap, 0, 0, thenMs);
    Atomics.store(control, 0, value);
    Atomics.notify(control, 0);`;
  return new Worker(code, { eval: true, workerData: { control, value, thenMs } });
}

const never = new Promise<never>(() => undefined);

describe('vector-env protocol', () => {
  it('awaitValue (main thread) is not fooled by a late wake-up, in its blocking and its async phase', async () => {
    for (const blockMs of [200, 0]) {
      const control = new Int32Array(new SharedArrayBuffer(4));
      control[0] = 1;
      const worker = lateNotifier(control, 2, 60);
      const t0 = performance.now();
      await awaitValue(control, 0, 2, blockMs, never);
      expect(Atomics.load(control, 0)).toBe(2);
      expect(performance.now() - t0).toBeGreaterThan(40);
      await worker.terminate();
    }
  });

  it('awaitChange (worker side) sleeps on through a late wake-up until the value changes', async () => {
    const control = new Int32Array(new SharedArrayBuffer(4));
    control[0] = 7;
    const worker = lateNotifier(control, 8, 60);
    const t0 = performance.now();
    awaitChange(control, 0, 7, 0);
    expect(Atomics.load(control, 0)).toBe(8);
    expect(performance.now() - t0).toBeGreaterThan(40);
    await worker.terminate();
  });

  it('awaitValue rejects when the other thread dies instead of hanging', async () => {
    const control = new Int32Array(new SharedArrayBuffer(4));
    await expect(awaitValue(control, 0, 1, 5, Promise.reject(new Error('worker exited')))).rejects.toThrow(/exited/);
  });
});
