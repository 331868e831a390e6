// SimWorld: a Rapier world built from a Model, with torque/servo actuation, readout, pushes and snapshots.
import type RAPIER from '@dimforge/rapier3d-compat';
import type { Rapier } from './rapier.ts';
import type { Model } from './model.ts';
import { planModel, type Plan } from './plan.ts';
import { instantiate, type RapierParts } from './instantiate.ts';
import { parseSimSettings, type SimSettings, type SimSettingsInput } from './settings.ts';
import { C, P, Q, STRIDE, V, W, RigidState, rotateAt, unrotateAt } from './state.ts';
import { JointReadout } from './joints.ts';
import { Actuation } from './actuation.ts';
import { Perturbations } from './perturb.ts';
import { contactForces, touchForce } from './contacts.ts';
import { forwardKinematics } from './kinematics.ts';
import { quatConj, quatMul, rotate, type Vec3 } from './math.ts';
import { readSensors } from './sensors.ts';
import { ForceSink } from './forces.ts';

/** Everything needed to put a SimWorld back exactly where it was. */
export interface SimSnapshot {
  bytes: Uint8Array;
  time: number;
  hinge: Float64Array;
  ctrl: Float64Array;
}

export class SimWorld {
  /** Physics step in seconds (one call of `step()` advances this much). */
  readonly dt: number;
  readonly plan: Plan;
  readonly settings: SimSettings;
  /** Simulated time in seconds since creation (restored by snapshots). */
  time = 0;
  private parts: RapierParts;
  private bodies: RAPIER.RigidBody[] = [];
  private readonly state: RigidState;
  private readonly readout: JointReadout;
  private readonly actuation: Actuation;
  private readonly sink: ForceSink;
  private readonly pushes: Perturbations;
  private readonly subtreeMass: number[];
  private readonly scratch = new Float64Array(6);
  private readonly contactScratch: Float64Array;
  private freed = false;
  private massScale = 1;

  constructor(private readonly R: Rapier, readonly model: Model, settings?: SimSettingsInput) {
    this.settings = parseSimSettings(settings);
    this.dt = this.settings.timestep ?? model.option.timestep;
    this.plan = planModel(model);
    this.parts = instantiate(R, model, this.plan, this.settings, this.dt);
    this.state = new RigidState(this.plan.rigids.length, Float64Array.from(this.plan.rigids.flatMap((r) => r.com)));
    this.readout = new JointReadout(model, this.plan, this.state);
    this.sink = new ForceSink(this.settings.joints === 'multibody');
    this.pushes = new Perturbations(this.sink);
    this.actuation = new Actuation(model, this.plan, this.parts.jointHandles, this.sink);
    this.subtreeMass = this.computeSubtreeMass();
    this.contactScratch = new Float64Array(this.plan.rigids.length * 3);
    this.bind();
    this.actuation.configureMotors(R, this.parts.world);
  }

  /** Seconds per Rapier step. */
  get substepDt(): number {
    return this.dt / this.settings.substeps;
  }

  /**
   * Advances `n` physics steps, applying controls and pushes at every Rapier substep.
   * Readouts reflect the state at the end of the call; hinge angles are unwrapped once per
   * call, so a hinge must turn less than π within one call.
   */
  step(n = 1): void {
    this.assertLive();
    const world = this.parts.world;
    const h = this.substepDt;
    const total = n * this.settings.substeps;
    for (let i = 0; i < total; i++) {
      const perStep = this.actuation.needsState || this.pushes.active;
      if (perStep && i > 0) this.state.refresh(this.bodies);
      this.sink.reset(this.bodies);
      this.actuation.apply(this.bodies, this.state, this.readout, h);
      this.pushes.apply(this.bodies, this.state, h);
      world.step();
      this.time += h;
    }
    this.state.refresh(this.bodies);
    this.readout.track();
  }

  /** Sets actuator controls (length nu), clipped to each ctrlrange. */
  setControl(ctrl: ArrayLike<number>): void {
    this.actuation.setControl(ctrl);
    this.actuation.configureMotors(this.R, this.parts.world, false);
  }

  get ctrl(): Float64Array {
    return this.actuation.ctrl;
  }

  /** Generalized positions in MuJoCo's layout (free: pos + quat, ball: quat, hinge rad, slide m). */
  qpos(out: Float64Array = new Float64Array(this.model.nq)): Float64Array {
    this.readout.readQpos(out);
    return out;
  }

  /** Generalized velocities in MuJoCo's layout (free: world linear + local angular). */
  qvel(out: Float64Array = new Float64Array(this.model.nv)): Float64Array {
    this.readout.readQvel(out);
    return out;
  }

  /** Poses the robot: sets every body from `qpos`/`qvel` by forward kinematics (velocities default to 0). */
  setState(qpos: ArrayLike<number>, qvel: ArrayLike<number> = new Float64Array(this.model.nv)): void {
    this.assertLive();
    if (qpos.length !== this.model.nq || qvel.length !== this.model.nv) {
      throw new Error(`setState needs qpos of length ${this.model.nq} and qvel of length ${this.model.nv}`);
    }
    const fk = forwardKinematics(this.model, qpos, qvel);
    this.plan.rigids.forEach((rigid, i) => {
      if (rigid.fixed) return;
      const b = rigid.root;
      const bp = this.plan.bodies[b]!;
      const q = quatMul(fk.quat[b]!, quatConj(bp.offsetQuat));
      const body = this.bodies[i]!;
      const pos = fk.pos[b]!;
      body.setTranslation({ x: pos[0], y: pos[1], z: pos[2] }, true);
      body.setRotation({ w: q[0], x: q[1], y: q[2], z: q[3] }, true);
      const w = fk.angvel[b]!;
      const r = rotate(q, rigid.com);
      const v = fk.vel[b]!;
      body.setLinvel({ x: v[0] + w[1] * r[2] - w[2] * r[1], y: v[1] + w[2] * r[0] - w[0] * r[2], z: v[2] + w[0] * r[1] - w[1] * r[0] }, true);
      body.setAngvel({ x: w[0], y: w[1], z: w[2] }, true);
    });
    this.state.refresh(this.bodies);
    this.model.joints.forEach((joint, j) => {
      if (joint.type === 'hinge') this.readout.hinge[j] = qpos[joint.qposAdr]!;
    });
  }

  /** Largest joint constraint error (m) over all joints: how far apart jointed bodies have drifted. */
  maxJointSeparation(): number {
    let worst = 0;
    for (const jp of this.plan.joints) worst = Math.max(worst, this.readout.separation(jp));
    return worst;
  }

  /** World pose of model body `b`: position into `pos[0..3]`, quaternion (w, x, y, z) into `quat[0..4]`. */
  bodyPose(b: number, pos: Float64Array | number[], quat?: Float64Array | number[]): void {
    const bp = this.plan.bodies[b]!;
    const d = this.state.data;
    const o = bp.rigid * STRIDE;
    rotateAt(d, o + Q, bp.offsetPos[0], bp.offsetPos[1], bp.offsetPos[2], pos, 0);
    for (let k = 0; k < 3; k++) pos[k] = pos[k]! + d[o + P + k]!;
    if (!quat) return;
    const q = quatMul([d[o + Q]!, d[o + Q + 1]!, d[o + Q + 2]!, d[o + Q + 3]!], bp.offsetQuat);
    for (let k = 0; k < 4; k++) quat[k] = q[k]!;
  }

  /** Velocity of model body `b`'s frame origin (m/s) and its angular velocity (rad/s), world frame. */
  bodyVelocity(b: number, lin: Float64Array | number[], ang?: Float64Array | number[]): void {
    const o = this.plan.bodies[b]!.rigid * STRIDE;
    const d = this.state.data;
    this.bodyPose(b, this.scratch);
    const rx = this.scratch[0]! - d[o + C]!, ry = this.scratch[1]! - d[o + C + 1]!, rz = this.scratch[2]! - d[o + C + 2]!;
    const wx = d[o + W]!, wy = d[o + W + 1]!, wz = d[o + W + 2]!;
    lin[0] = d[o + V]! + wy * rz - wz * ry;
    lin[1] = d[o + V + 1]! + wz * rx - wx * rz;
    lin[2] = d[o + V + 2]! + wx * ry - wy * rx;
    if (ang) { ang[0] = wx; ang[1] = wy; ang[2] = wz; }
  }

  /** World position of site `s`. */
  sitePos(s: number, out: Float64Array | number[] = new Float64Array(3)): Float64Array | number[] {
    const site = this.model.sites[s]!;
    const q = [0, 0, 0, 0];
    this.bodyPose(site.body, out, q);
    const p = rotate(q as [number, number, number, number], site.pos);
    for (let k = 0; k < 3; k++) out[k] = out[k]! + p[k]!;
    return out;
  }

  /**
   * Time over which Rapier's accumulated contact impulses act. Measured: a resting body's contact
   * impulse is `m·g·h·(n+1)/n` for n solver iterations (one stabilisation pass adds to the sum),
   * so impulses are divided by `h·(n+1)/n` to give forces (checked against the weight in tests).
   */
  private get contactImpulseTime(): number {
    const n = this.settings.solverIterations;
    return (this.substepDt * (n + 1)) / n;
  }

  /** Contact normal forces (N, world) on each model body during the last Rapier step, `[nbody × 3]`. */
  contactForces(out: Float64Array = new Float64Array(this.model.bodies.length * 3)): Float64Array {
    const perRigid = this.contactScratch;
    contactForces(this.parts.world, this.parts, this.contactImpulseTime, perRigid);
    out.fill(0);
    this.plan.rigids.forEach((rigid, i) => out.set(perRigid.subarray(i * 3, i * 3 + 3), rigid.root * 3));
    return out;
  }

  /** Touch reading (N) for a spherical site region. */
  touch(s: number): number {
    const site = this.model.sites[s]!;
    const centre = this.sitePos(s);
    return touchForce(this.parts.world, this.parts, this.plan.bodies[site.body]!.rigid, centre, site.size[0] ?? 0, this.contactImpulseTime);
  }

  /** All sensor values in declaration order. */
  sensors(out?: Float64Array): Float64Array {
    return readSensors(this, out);
  }

  /**
   * Applies an impulse (N·s, world) at a world point (default: the body's centre of mass): at once
   * on impulse-joint worlds, as the force `J / h` over the next Rapier step on multibody worlds.
   */
  applyImpulse(b: number, impulse: Vec3, point?: Vec3): void {
    const rigid = this.plan.bodies[b]!.rigid;
    const body = this.bodies[rigid]!;
    if (!body.isDynamic()) throw new Error(`body '${this.model.bodies[b]!.name}' is fixed and cannot be pushed`);
    const at = point ?? this.comOf(rigid);
    if (this.sink.asForces) {
      const h = this.substepDt;
      this.pushes.hold(rigid, this.localPoint(rigid, at), [impulse[0] / h, impulse[1] / h, impulse[2] / h], h);
      return;
    }
    body.applyImpulseAtPoint({ x: impulse[0], y: impulse[1], z: impulse[2] }, { x: at[0], y: at[1], z: at[2] }, true);
    this.state.refresh(this.bodies);
  }

  /** Applies a force (N, world) at a world point on body `b` (default: its centre of mass) for `duration` seconds. */
  applyForce(b: number, force: Vec3, duration: number, point?: Vec3): void {
    const rigid = this.plan.bodies[b]!.rigid;
    if (this.plan.rigids[rigid]!.fixed) throw new Error(`body '${this.model.bodies[b]!.name}' is fixed and cannot be pushed`);
    this.pushes.hold(rigid, this.localPoint(rigid, point ?? this.comOf(rigid)), force, duration);
  }

  /**
   * Starts or moves a drag: a critically damped spring (natural frequency `hz`) pulling the world
   * point `grab` (fixed in body `b` when the drag starts) toward `target`. `null` target releases.
   */
  drag(b: number, grab: Vec3, target: Vec3 | null, hz = 3): void {
    if (target === null) { this.pushes.drag = null; return; }
    const rigid = this.plan.bodies[b]!.rigid;
    if (this.plan.rigids[rigid]!.fixed) throw new Error(`body '${this.model.bodies[b]!.name}' is fixed and cannot be dragged`);
    const current = this.pushes.drag;
    if (current && current.rigid === rigid) { current.target = target; return; }
    this.pushes.drag = { rigid, local: this.localPoint(rigid, grab), target, mass: this.subtreeMass[rigid]!, omega: 2 * Math.PI * hz };
  }

  /** Current drag spring force (N, world), zero when not dragging. */
  dragForce(out: Float64Array = new Float64Array(3)): Float64Array {
    this.pushes.dragForce(this.state, out);
    return out;
  }

  clearPushes(): void {
    this.pushes.clear();
  }

  /**
   * Domain randomisation: scales every moving body's mass and inertia, every collider's friction
   * and every joint's damping by the given factors, relative to the model (1 = as built).
   */
  setPhysicsScales(scales: { mass?: number; friction?: number; damping?: number }): void {
    const mass = scales.mass ?? 1;
    this.massScale = mass;
    this.plan.rigids.forEach((rigid, i) => {
      if (rigid.fixed) return;
      const q = rigid.inertiaFrame;
      this.bodies[i]!.setAdditionalMassProperties(rigid.mass * mass, vec(rigid.com), vec(rigid.inertia.map((v) => v * mass)), { w: q[0], x: q[1], y: q[2], z: q[3] }, true);
      this.bodies[i]!.recomputeMassPropertiesFromColliders();
    });
    const friction = scales.friction ?? 1;
    this.parts.colliderHandles.forEach((handles, i) => {
      handles.forEach((h, k) => {
        const geom = this.model.geoms[this.plan.rigids[i]!.colliders[k]!.geom]!;
        this.parts.world.getCollider(h).setFriction(geom.friction[0] * friction);
      });
    });
    this.actuation.dampingScale = scales.damping ?? 1;
    this.actuation.configureMotors(this.R, this.parts.world);
  }

  /** Total linear momentum (kg·m/s, world) of all moving bodies. */
  linearMomentum(out: Float64Array = new Float64Array(3)): Float64Array {
    out.fill(0);
    const d = this.state.data;
    this.plan.rigids.forEach((rigid, i) => {
      if (rigid.fixed) return;
      const m = rigid.mass * this.massScale;
      for (let k = 0; k < 3; k++) out[k] = out[k]! + m * d[i * STRIDE + V + k]!;
    });
    return out;
  }

  /** Kinetic and gravitational potential energy (J) of all moving bodies. */
  energy(): { kinetic: number; potential: number } {
    const d = this.state.data;
    const g = this.model.option.gravity;
    let kinetic = 0;
    let potential = 0;
    this.plan.rigids.forEach((rigid, i) => {
      if (rigid.fixed) return;
      const o = i * STRIDE;
      const frame = quatMul([d[o + Q]!, d[o + Q + 1]!, d[o + Q + 2]!, d[o + Q + 3]!], rigid.inertiaFrame);
      const w = [0, 0, 0];
      unrotateAt(Float64Array.from(frame), 0, d[o + W]!, d[o + W + 1]!, d[o + W + 2]!, w, 0);
      const v2 = d[o + V]! ** 2 + d[o + V + 1]! ** 2 + d[o + V + 2]! ** 2;
      kinetic += 0.5 * rigid.mass * v2 + 0.5 * (rigid.inertia[0] * w[0]! ** 2 + rigid.inertia[1] * w[1]! ** 2 + rigid.inertia[2] * w[2]! ** 2);
      potential -= rigid.mass * (g[0] * d[o + C]! + g[1] * d[o + C + 1]! + g[2] * d[o + C + 2]!);
    });
    return { kinetic, potential };
  }

  snapshot(): SimSnapshot {
    this.assertLive();
    return { bytes: this.parts.world.takeSnapshot(), time: this.time, hinge: this.readout.hinge.slice(), ctrl: this.actuation.ctrl.slice() };
  }

  /** Restores a snapshot taken from this SimWorld; held forces and drags are cleared. */
  restore(snap: SimSnapshot): void {
    this.assertLive();
    const world = this.R.World.restoreSnapshot(snap.bytes);
    this.parts.world.free();
    this.parts.world = world;
    world.timestep = this.substepDt;
    this.time = snap.time;
    this.readout.hinge.set(snap.hinge);
    this.actuation.ctrl.set(snap.ctrl);
    this.pushes.clear();
    this.bind();
    this.actuation.configureMotors(this.R, world);
  }

  /** Frees every Rapier object; the SimWorld cannot be used afterwards. */
  free(): void {
    if (this.freed) return;
    this.parts.world.free();
    this.freed = true;
  }

  private bind(): void {
    this.bodies = this.parts.bodyHandles.map((h) => this.parts.world.getRigidBody(h));
    for (const b of this.bodies) if (b.isDynamic()) b.recomputeMassPropertiesFromColliders();
    this.state.refresh(this.bodies);
  }

  private comOf(rigid: number): Vec3 {
    const o = rigid * STRIDE + C;
    return [this.state.data[o]!, this.state.data[o + 1]!, this.state.data[o + 2]!];
  }

  private localPoint(rigid: number, world: Vec3): Vec3 {
    const d = this.state.data;
    const o = rigid * STRIDE;
    const out: Vec3 = [0, 0, 0];
    unrotateAt(d, o + Q, world[0] - d[o + P]!, world[1] - d[o + P + 1]!, world[2] - d[o + P + 2]!, out, 0);
    return out;
  }

  private computeSubtreeMass(): number[] {
    const mass = this.plan.rigids.map((r) => r.mass);
    for (let i = this.plan.rigids.length - 1; i > 0; i--) {
      const parentBody = this.model.bodies[this.plan.rigids[i]!.root]!.parent;
      const parentRigid = this.plan.bodies[parentBody]!.rigid;
      if (parentRigid !== 0) mass[parentRigid]! += mass[i]!;
    }
    return mass;
  }

  private assertLive(): void {
    if (this.freed) throw new Error('this SimWorld has been freed');
  }
}

function vec(v: readonly number[]): { x: number; y: number; z: number } {
  return { x: v[0]!, y: v[1]!, z: v[2]! };
}

/** Builds a SimWorld from a model with an initialised Rapier module (see `initRapier`). */
export function createSimWorld(R: Rapier, model: Model, settings?: SimSettingsInput): SimWorld {
  return new SimWorld(R, model, settings);
}
