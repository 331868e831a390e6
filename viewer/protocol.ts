// The viewer's wire protocol, shared by server and page: zod schemas for every JSON message and the binary pose frame layout.
import { z } from 'zod';

export const PROTOCOL_VERSION = 1;
/** Client text messages longer than this (characters) get an error reply without being parsed. */
export const MAX_CLIENT_MESSAGE = 64 * 1024;
/** Hard cap (bytes) enforced by the WebSocket layer: larger frames close that connection. */
export const MAX_WS_PAYLOAD = 4 * 1024 * 1024;
/** Largest kick impulse accepted (N·s). */
export const MAX_KICK = 500;
/** Largest number of skills the gallery shows (DIAYN allows up to 256). */
export const MAX_SKILLS = 256;
/** Longest skill survey (steps per skill) a page may ask for. */
export const MAX_SURVEY_STEPS = 2000;
/** Largest number of per-step posterior values carried by one `posterior` message. */
export const MAX_TRACE = 64;
/** Largest number of trials per impulse of a sweep started from the page. */
export const MAX_SWEEP_TRIALS = 200;
/** Speed factors the server accepts. */
export const MIN_SPEED = 0.25;
export const MAX_SPEED = 4;

const finite = z.number().finite();
const vec3 = z.tuple([finite, finite, finite]);
/** A world point (m) inside a generous box around the scene. */
const point = z.tuple([finite.min(-1e4).max(1e4), finite.min(-1e4).max(1e4), finite.min(-1e4).max(1e4)]);
const name = z.string().min(1).max(200);

/** Messages the page sends (JSON text). */
export const ClientMessageSchema = z.discriminatedUnion('type', [
  /** Play mode: run `policy` on `task` (restarts the simulation). */
  z.object({ type: z.literal('select'), task: name, policy: name }).strict(),
  z.object({ type: z.literal('mode'), mode: z.enum(['play', 'live', 'replay']) }).strict(),
  z.object({ type: z.literal('pause'), paused: z.boolean() }).strict(),
  /** One environment step (or replay frame) while paused. */
  z.object({ type: z.literal('step') }).strict(),
  z.object({ type: z.literal('reset') }).strict(),
  z.object({ type: z.literal('speed'), speed: finite.min(MIN_SPEED).max(MAX_SPEED) }).strict(),
  /**
   * Drag gesture on model body `body`: `local` (m, body frame) is the grabbed point, sent when the
   * drag starts; `target` (m, world) is where the pointer pulls it.
   */
  z.object({ type: z.literal('drag'), body: z.number().int().min(1).max(10_000), local: point.optional(), target: point }).strict(),
  z.object({ type: z.literal('release') }).strict(),
  /** An impulse (N·s, world frame) at the centre of mass of model body `body`. */
  z.object({ type: z.literal('kick'), body: z.number().int().min(1).max(10_000), impulse: vec3 }).strict()
    .refine((m) => Math.hypot(...m.impulse) <= MAX_KICK, { message: `impulse must be at most ${MAX_KICK} N·s`, path: ['impulse'] }),
  /** New desired goal for goal tasks (task units: m for points, rad for the door angle). */
  z.object({ type: z.literal('goal'), goal: z.array(finite.min(-1e4).max(1e4)).min(1).max(16) }).strict(),
  z.object({ type: z.literal('skill'), skill: z.number().int().min(0).max(1000) }).strict(),
  /** Replay mode: jump to a step. */
  z.object({ type: z.literal('seek'), step: z.number().int().min(0).max(10_000_000) }).strict(),
  /** Ask for the current play episode as a recording (tasks/recording.ts format). */
  z.object({ type: z.literal('recording') }).strict(),
  /**
   * Start a push sweep (agents/perturb.ts) of the play mode's task and policy: impulses (N·s, or
   * N·s per kg of robot with `perKg`), directions, trials per impulse, seed, mean or sampled actions.
   */
  z.object({
    type: z.literal('sweep-start'), impulses: z.array(finite.min(0).max(MAX_KICK)).min(1).max(12),
    directions: z.number().int().min(1).max(32), trials: z.number().int().min(1).max(MAX_SWEEP_TRIALS),
    seed: z.number().int().min(0).max(0xffffffff), action: z.enum(['mean', 'stochastic']), perKg: z.boolean(),
  }).strict(),
  z.object({ type: z.literal('sweep-stop') }).strict(),
  /** Open failure `index` of the last sweep (its `failures` list) in replay mode. */
  z.object({ type: z.literal('sweep-replay'), index: z.number().int().min(0).max(1000) }).strict(),
  /** Skill gallery: run every skill of the play policy for `steps` steps (one episode from the same seed) and score its posterior. */
  z.object({ type: z.literal('skill-survey'), steps: z.number().int().min(10).max(MAX_SURVEY_STEPS) }).strict(),
  z.object({ type: z.literal('skill-survey-stop') }).strict(),
]);
export type ClientMessage = z.output<typeof ClientMessageSchema>;
export type ClientMessageType = ClientMessage['type'];

const rgba = z.tuple([finite, finite, finite, finite]);
export const GeomSchema = z.object({
  type: z.enum(['plane', 'sphere', 'capsule', 'box', 'cylinder']),
  /** MuJoCo size semantics (m): sphere [r], capsule/cylinder [r, half length], box half extents, plane [hx, hy, grid]. */
  size: z.array(finite),
  /** Pose in the body frame (m; quaternion w x y z). */
  pos: vec3,
  quat: z.tuple([finite, finite, finite, finite]),
  rgba,
});
export type SceneGeom = z.output<typeof GeomSchema>;

const quat = z.tuple([finite, finite, finite, finite]);

/**
 * A goal that is a hinge angle (the door): the page draws a translucent ghost of body `body` (its
 * geoms from the scene) turned to the goal angle. `pos`/`quat` are the body's world pose (m;
 * w x y z) at the joint's reference angle `ref` (rad); the body turns by (angle − ref) about the
 * world line through `anchor` (m) along the unit vector `axis`, right-handed (viewer/hinge.ts).
 */
export const HingeGoalSchema = z.object({
  body: z.number().int().min(1),
  anchor: vec3,
  axis: vec3,
  pos: vec3,
  quat,
  ref: finite,
});
export type HingeGoal = z.output<typeof HingeGoalSchema>;

export const GoalInfoSchema = z.object({
  dim: z.number().int().min(1),
  /** 'point': a 3-D world position (m) shown as a draggable marker; 'value': set with sliders. */
  kind: z.enum(['point', 'value']),
  unit: z.string(),
  label: z.string(),
  low: z.array(finite),
  high: z.array(finite),
  /** Set when the goal is the angle of a hinge (the door task): drawn as a ghost of the hinged body. */
  hinge: HingeGoalSchema.nullable(),
});
export type GoalInfo = z.output<typeof GoalInfoSchema>;

export const SceneSchema = z.object({
  type: z.literal('scene'),
  /** Increments with every new scene; frames carry it so stale ones are dropped. */
  id: z.number().int(),
  mode: z.enum(['play', 'live', 'replay']),
  task: z.string(),
  policy: z.string(),
  bodies: z.array(z.object({ name: z.string(), movable: z.boolean(), geoms: z.array(GeomSchema) })),
  /** Body the camera follows, or null for a fixed camera. */
  follow: z.number().int().nullable(),
  terms: z.array(z.string()),
  /** Seconds of simulated time per step. */
  dt: finite,
  goal: GoalInfoSchema.nullable(),
  /** Number of skills of the policy (skill agents), else null. */
  skills: z.number().int().nullable(),
  /**
   * Skill policies: whether the DIAYN discriminator's posterior q(z|s) is streamed (`posterior`
   * and `gallery` messages), and a note (what it reads, or why it is off); null for other policies.
   */
  posterior: z.object({ available: z.boolean(), note: z.string() }).nullable(),
  /** Replay length in steps (live and replay modes), else null. */
  steps: z.number().int().nullable(),
});
export type Scene = z.output<typeof SceneSchema>;

const PolicyListSchema = z.array(z.object({ name: z.string(), task: z.string(), description: z.string() }));

export const MetricsPointSchema = z.object({ env_steps: finite, time_s: finite, values: z.record(z.string(), finite) });
export type MetricsPoint = z.output<typeof MetricsPointSchema>;

/** One impulse of a sweep's survival chart: failures of the trials so far and the 95% Wilson interval. */
export const SweepPointSchema = z.object({
  impulse: finite, trials: z.number().int().min(0), failures: z.number().int().min(0),
  survival: finite.nullable(), low: finite.nullable(), high: finite.nullable(),
});
export type SweepPoint = z.output<typeof SweepPointSchema>;

/** A sweep's progress: sent as it runs, and to pages that connect later. */
export const SweepStatusSchema = z.object({
  type: z.literal('sweep'), state: z.enum(['running', 'done', 'stopped', 'error']), task: z.string(), policy: z.string(),
  /** Impulse unit of the points: 'N·s' or 'N·s/kg'. */
  unit: z.string(), done: z.number().int().min(0), total: z.number().int().min(0), points: z.array(SweepPointSchema),
  /** Failed pushed episodes kept for replay (`sweep-replay` with the index). */
  failures: z.array(z.object({ impulse: finite, trial: z.number().int(), direction: finite })),
  message: z.string(),
});
export type SweepStatus = z.output<typeof SweepStatusSchema>;

const probability = finite.min(0).max(1);

/** Argmax agreement of one skill: states seen while it played, the fraction where argmax q(z|s) = z, and the mean q(z|s). */
export const SkillScoreSchema = z.object({
  steps: z.number().int().min(0), agreement: probability.nullable(), meanPosterior: probability.nullable(),
});
export type SkillScore = z.output<typeof SkillScoreSchema>;

/**
 * The discriminator's posterior q(z|s) at play step `step` (one row over all skills, sums to 1),
 * sent with the pose frames. `trace`: q of the playing skill at each step since the previous
 * message, oldest first, ending at `step`. `push`: the last kick or drag of this episode and how
 * q of the skill then playing dipped and came back.
 */
export const PosteriorSchema = z.object({
  type: z.literal('posterior'), scene: z.number().int(), step: z.number().int().min(0), skill: z.number().int().min(0),
  q: z.array(probability).min(2).max(MAX_SKILLS), trace: z.array(probability).max(MAX_TRACE),
  push: z.object({
    /** Step of the push; q of the skill averaged over the steps before it; lowest q after it and its step. */
    step: z.number().int().min(0), before: probability, min: probability, minStep: z.number().int().min(0),
    /** First step after the dip where q is back to ≥ 90% of `before`; null while it has not (or when it never dipped). */
    recovered: z.number().int().min(0).nullable(), dipped: z.boolean(),
  }).nullable(),
}).refine((m) => m.skill < m.q.length, { message: 'skill must index q', path: ['skill'] });
export type Posterior = z.output<typeof PosteriorSchema>;

/** The skill gallery: per-skill scores while watched (`live`) and from the last survey, one entry per skill. */
export const GallerySchema = z.object({
  type: z.literal('gallery'), scene: z.number().int(), skills: z.number().int().min(2).max(MAX_SKILLS),
  live: z.array(SkillScoreSchema),
  survey: z.object({
    state: z.enum(['idle', 'running', 'done', 'stopped', 'error']), steps: z.number().int().min(0),
    done: z.number().int().min(0), scores: z.array(SkillScoreSchema), message: z.string(),
  }),
}).refine((m) => m.live.length === m.skills && m.survey.scores.length === m.skills, { message: 'one score per skill', path: ['live'] });
export type Gallery = z.output<typeof GallerySchema>;

/** Messages the server sends as JSON text. */
export const ServerMessageSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('hello'), version: z.number().int(),
    tasks: z.array(z.object({ id: z.string(), summary: z.string() })),
    policies: PolicyListSchema,
    modes: z.array(z.enum(['play', 'live', 'replay'])),
  }),
  SceneSchema,
  z.object({
    type: z.literal('state'), mode: z.enum(['play', 'live', 'replay']), paused: z.boolean(), speed: finite,
    skill: z.number().int(), status: z.string(), viewers: z.number().int(),
  }),
  z.object({ type: z.literal('metrics'), reset: z.boolean(), source: z.string(), points: z.array(MetricsPointSchema) }),
  z.object({ type: z.literal('recording'), recording: z.unknown() }),
  z.object({ type: z.literal('error'), message: z.string(), ref: z.string().optional() }),
  SweepStatusSchema,
  PosteriorSchema,
  GallerySchema,
]);
export type ServerMessage = z.output<typeof ServerMessageSchema>;

/**
 * Binary pose frame (server → page), a Float32Array:
 * `[HEADER] [terms × nterms] [goal × ngoal] [achieved × ngoal] [bodies × 7 nbodies]`, each body as
 * position (m, world) then quaternion (w, x, y, z).
 */
export const FRAME_MAGIC = 7301;
export const F = {
  magic: 0, scene: 1, step: 2, time: 3, ret: 4, reward: 5, flags: 6, nbodies: 7, nterms: 8, ngoal: 9,
  /** Drag: grabbed point (m, world), spring target (m, world), spring force (N, world). */
  grab: 10, target: 13, force: 16,
  speed: 19, steps: 20,
} as const;
export const FRAME_HEADER = 21;
export const FLAG_PAUSED = 1;
export const FLAG_DONE = 2;
export const FLAG_DRAGGING = 4;

/** Number of floats in a frame. */
export function frameLength(nbodies: number, nterms: number, ngoal: number): number {
  return FRAME_HEADER + nterms + 2 * ngoal + 7 * nbodies;
}

/** Offsets of a frame's variable sections. */
export function frameSections(nbodies: number, nterms: number, ngoal: number): { terms: number; goal: number; achieved: number; bodies: number } {
  const terms = FRAME_HEADER;
  return { terms, goal: terms + nterms, achieved: terms + nterms + ngoal, bodies: terms + nterms + 2 * ngoal };
}

/** Checks a received binary frame's shape; returns null when it is well-formed, else the reason. */
export function checkFrame(f: Float32Array): string | null {
  if (f.length < FRAME_HEADER) return `frame of ${f.length} floats is shorter than its header`;
  if (f[F.magic] !== FRAME_MAGIC) return 'frame magic number mismatch';
  const n = frameLength(f[F.nbodies]!, f[F.nterms]!, f[F.ngoal]!);
  return n === f.length ? null : `frame length ${f.length} does not match its header (${n})`;
}

/** Parses a client message from raw text: the typed message, or an error string naming the field. */
export function parseClientMessage(text: string): { ok: true; msg: ClientMessage } | { ok: false; error: string } {
  if (text.length > MAX_CLIENT_MESSAGE) return { ok: false, error: `message of ${text.length} characters exceeds the ${MAX_CLIENT_MESSAGE} limit` };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, error: 'message is not valid JSON' };
  }
  return validate(ClientMessageSchema, value);
}

/** Parses a server JSON message (page side). */
export function parseServerMessage(text: string): { ok: true; msg: ServerMessage } | { ok: false; error: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, error: 'server message is not valid JSON' };
  }
  return validate(ServerMessageSchema, value);
}

function validate<S extends z.ZodType>(schema: S, value: unknown): { ok: true; msg: z.output<S> } | { ok: false; error: string } {
  const parsed = schema.safeParse(value);
  if (parsed.success) return { ok: true, msg: parsed.data };
  const issue = parsed.error.issues[0]!;
  return { ok: false, error: `${issue.path.join('.') || 'message'}: ${issue.message}` };
}
