// The policy contract: what evaluation, the viewer and perturbation sweeps call to turn observations into actions.

/**
 * A trained (or scripted) policy over flat observations. Goal-conditioned policies see the
 * concatenation `observation ‖ desired_goal`; skill policies see `observation ‖ one-hot(skill)`
 * (`skills` says how many). Batched: `obs` is row-major [n, obsDim], `out` row-major [n, actDim],
 * actions in the env's action space.
 */
export interface Policy {
  readonly obsDim: number;
  readonly actDim: number;
  /** Task id the policy was trained on. */
  readonly task: string;
  /** Number of skills for skill-conditioned policies (DIAYN); absent otherwise. */
  readonly skills?: number;
  /** Fills `out` with actions for `n` observations; `deterministic` takes the mean action. */
  act(obs: Float32Array, out: Float32Array, n: number, deterministic: boolean): void;
  dispose(): void;
}

/** A policy that may keep state across steps (scripted controllers) and is told when an episode starts. */
export type ResettablePolicy = Policy & { reset?(): void };
