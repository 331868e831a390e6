// Plain SAC experience collection: flat transitions from a vector env into the replay buffer, uniform replay.
import type { VectorEnv } from '../tasks/vector/vector-env.ts';
import type { EnvSpec } from '../tasks/env.ts';
import type { SacConfig, TransitionBatch } from './sac.ts';
import { ReplayBuffer, transitionLayout } from './replay.ts';
import { SacLearnerBase } from './learner.ts';
import { concatRows, inputDim, inputKeys, keySizes } from './obs.ts';

/** SAC on the env's own reward: network input = the observation (goal tasks: observation ‖ desired goal). */
export class SacLearner extends SacLearnerBase {
  readonly kind = 'sac';
  readonly buffer: ReplayBuffer;
  protected get memory(): ReplayBuffer {
    return this.buffer;
  }
  private readonly keys: string[];
  private readonly sizes: Record<string, number>;
  private readonly rows: Record<'input' | 'norm' | 'next' | 'final' | 'act' | 'envAct' | 'term', Float32Array>;
  private readonly sampled: Record<string, Float32Array>;
  private readonly batch: TransitionBatch;

  constructor(spec: EnvSpec, numEnvs: number, config: SacConfig, seed: number) {
    super(spec, numEnvs, inputDim(spec), config, seed);
    this.keys = inputKeys(spec);
    this.sizes = keySizes(spec);
    this.buffer = new ReplayBuffer(transitionLayout(this.inputDim, this.actDim), config.bufferSize, seed + 1);
    const inputs = () => new Float32Array(numEnvs * this.inputDim), actions = () => new Float32Array(numEnvs * this.actDim);
    this.rows = { input: inputs(), norm: inputs(), next: inputs(), final: inputs(), act: actions(), envAct: actions(), term: new Float32Array(numEnvs) };
    this.sampled = this.buffer.allocateBatch(config.batchSize);
    const s = this.sampled;
    this.batch = { size: config.batchSize, obs: s.obs!, action: s.action!, reward: s.reward!, nextObs: s.nextObs!, terminated: s.terminated! };
  }

  start(vec: VectorEnv): void {
    concatRows(vec.batch.obs, this.keys, this.sizes, this.n, this.rows.input);
  }

  async collect(vec: VectorEnv, envSteps: number): Promise<number> {
    const { input, act, envAct, term, norm } = this.rows, b = vec.batch, n = this.n;
    const t0 = performance.now();
    this.explore(input, act, envSteps, norm);
    await vec.step(this.toEnv(act, envAct));
    const next = concatRows(b.obs, this.keys, this.sizes, n, this.rows.next);
    const final = concatRows(b.finalObs, this.keys, this.sizes, n, this.rows.final);
    for (let i = 0; i < n; i++) term[i] = b.terminated[i]!;
    for (let i = 0; i < n; i++) {
      this.buffer.add({ obs: input, action: act, reward: b.rewards, nextObs: b.hasFinal[i] ? final : next, terminated: term }, i);
      if (b.hasFinal[i]) this.episodeDone(b.finalReturn[i]!, b.finalSteps[i]!);
    }
    this.normalizer?.update(next, n);
    input.set(next);
    this.addEnvTime((performance.now() - t0) / 1000);
    return n;
  }

  learn(envSteps: number): void {
    const B = this.config.batchSize;
    const ready = envSteps >= this.config.learningStarts && this.buffer.size >= Math.max(B, Math.min(this.config.learningStarts, this.buffer.capacity));
    this.payDebt(this.n, ready, () => {
      this.buffer.sample(B, this.sampled);
      this.step(this.batch);
    });
  }
}
