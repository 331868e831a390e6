// The 3-D view: builds three.js objects from a scene message, interpolates streamed body poses, follows the robot, draws drag arrow and goal (point or door ghost).
import * as THREE from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import { F, FLAG_DRAGGING, FLAG_PAUSED, frameSections, type Scene } from '../protocol.ts';
import { hingePose } from '../hinge.ts';
import { PullArrow, TILE, disposeTree, geomMesh, ghostOf, goalMarker } from './meshes.ts';

const SKY = 0xdde6ef;

export class SceneView {
  readonly renderer: THREE.WebGLRenderer;
  readonly camera = new THREE.PerspectiveCamera(45, 1, 0.02, 400);
  readonly controls: OrbitControls;
  readonly world = new THREE.Scene();
  scene: Scene | null = null;
  /** One group per model body, posed from the frames. */
  bodies: THREE.Group[] = [];
  /** Meshes of movable bodies (what a drag can grab). */
  pickable: THREE.Mesh[] = [];
  readonly goal = goalMarker();
  /** Hinge goals (the door): a ghost of the hinged body at the goal angle, or null. */
  ghost: THREE.Group | null = null;
  follow = true;
  /** Rendered frames and received pose frames (the page's test hooks read them). */
  drawn = 0;
  received = 0;
  lastFrame: Float32Array | null = null;
  /** While the user drags the goal marker, frames do not move it. */
  holdGoal = false;
  private readonly statics = new THREE.Group();
  private readonly grounds: THREE.Mesh[] = [];
  private readonly arrow = new PullArrow();
  private readonly sun = new THREE.DirectionalLight(0xffffff, 2.2);
  private prev = new Float32Array(0);
  private cur = new Float32Array(0);
  private curAt = 0;
  private interval = 50;
  private framed = false;
  private lastDraw = performance.now();
  /** Smoothed wall time per drawn frame (s), for lowering the resolution on slow (software) renderers. */
  private frameTime = 1 / 60;
  private pixelRatio = Math.min(2, window.devicePixelRatio);
  private sinceAdapt = 0;
  /** `?fixedres` in the page URL keeps full resolution however slow drawing is (for screenshots). */
  private readonly adaptive = !new URLSearchParams(location.search).has('fixedres');
  private readonly v = new THREE.Vector3();
  private readonly qa = new THREE.Quaternion();
  private readonly qb = new THREE.Quaternion();
  private readonly ghostPos = [0, 0, 0];
  private readonly ghostQuat = [1, 0, 0, 0];

  constructor(readonly canvas: HTMLCanvasElement) {
    this.renderer = new THREE.WebGLRenderer({ canvas, antialias: true, preserveDrawingBuffer: true });
    this.renderer.setPixelRatio(this.pixelRatio);
    this.renderer.shadowMap.enabled = true;
    this.renderer.shadowMap.type = THREE.PCFShadowMap;
    this.camera.up.set(0, 0, 1);
    this.camera.position.set(0.8, -3.2, 1.3);
    this.controls = new OrbitControls(this.camera, canvas);
    this.controls.enableDamping = true;
    this.controls.target.set(0, 0, 0.5);
    this.world.background = new THREE.Color(SKY);
    this.world.fog = new THREE.Fog(SKY, 25, 90);
    this.world.add(new THREE.HemisphereLight(0xf2f6ff, 0x6f6658, 1.4));
    this.sun.castShadow = true;
    this.sun.shadow.mapSize.set(1024, 1024);
    const sc = this.sun.shadow.camera;
    sc.left = sc.bottom = -3; sc.right = sc.top = 3; sc.near = 0.5; sc.far = 20;
    this.world.add(this.sun, this.sun.target, this.statics, this.goal, this.arrow);
    new ResizeObserver(() => this.resize()).observe(canvas);
    this.resize();
  }

  /** Replaces the drawn scene (new task, mode or rollout). */
  build(scene: Scene): void {
    for (const g of [...this.bodies, this.statics]) { disposeTree(g); g.clear(); }
    for (const g of this.bodies) if (g !== this.statics) this.world.remove(g);
    this.bodies = [];
    this.pickable = [];
    this.grounds.length = 0;
    scene.bodies.forEach((body, b) => {
      const group = b === 0 ? this.statics : new THREE.Group();
      for (const geom of body.geoms) {
        const mesh = geomMesh(geom);
        mesh.userData.body = b;
        if (b === 0 && geom.type === 'plane') this.grounds.push(mesh);
        if (body.movable) this.pickable.push(mesh);
        group.add(mesh);
      }
      if (b > 0) this.world.add(group);
      this.bodies.push(group);
    });
    this.scene = scene;
    this.goal.visible = scene.goal?.kind === 'point';
    this.buildGhost(scene);
    this.prev = this.cur = new Float32Array(0);
    this.framed = false;
  }

  /** Takes a pose frame (already checked); frames of an older scene are dropped. */
  pushFrame(f: Float32Array): void {
    const s = this.scene;
    if (!s || f[F.scene] !== s.id) return;
    this.received++;
    const nb = f[F.nbodies]!, sec = frameSections(nb, f[F.nterms]!, f[F.ngoal]!);
    const poses = f.slice(sec.bodies, sec.bodies + nb * 7);
    const consecutive = this.lastFrame !== null && f[F.step] === this.lastFrame[F.step]! + 1 && this.lastFrame[F.scene] === f[F.scene];
    this.prev = consecutive && this.cur.length === poses.length ? this.cur : poses;
    this.cur = poses;
    this.curAt = performance.now();
    this.interval = (s.dt / Math.max(0.25, f[F.speed]!)) * 1000;
    if ((f[F.flags]! & FLAG_PAUSED) !== 0) this.prev = poses;
    this.lastFrame = f;
    if (s.goal?.kind === 'point' && !this.holdGoal) this.goal.position.set(f[sec.goal]!, f[sec.goal + 1]!, f[sec.goal + 2]!);
    if (s.goal?.hinge && this.ghost) this.poseGhost(s.goal.hinge, f[sec.goal]!);
    this.updateArrow(f);
    if (!this.framed) this.frameCamera();
  }

  /** Draws one frame: interpolated poses, camera follow, ground under the camera. */
  draw(): void {
    const now = performance.now();
    const dtWall = Math.min(0.1, (now - this.lastDraw) / 1000);
    this.lastDraw = now;
    this.adaptResolution(dtWall);
    this.applyPoses(Math.min(1, (now - this.curAt) / this.interval));
    this.followRobot(dtWall);
    this.controls.update();
    const t = this.controls.target;
    for (const g of this.grounds) g.position.set(Math.round(t.x / TILE) * TILE, Math.round(t.y / TILE) * TILE, g.position.z);
    this.sun.position.set(t.x + 2.5, t.y - 3, t.z + 6);
    this.sun.target.position.copy(t);
    this.renderer.render(this.world, this.camera);
    this.drawn++;
  }

  /** Page coordinates (CSS px) of model body `b`'s origin, of the goal marker (`'goal'`) or of the door ghost's first geom (`'ghost'`), for tests. */
  project(b: number | 'goal' | 'ghost'): { x: number; y: number } | null {
    const o = b === 'goal' ? this.goal : b === 'ghost' ? this.ghost?.children[0] : this.bodies[b];
    if (!o || !o.visible) return null;
    const p = o.getWorldPosition(this.v).project(this.camera);
    const r = this.canvas.getBoundingClientRect();
    return { x: r.left + ((p.x + 1) / 2) * r.width, y: r.top + ((1 - p.y) / 2) * r.height };
  }

  /** A ghost of the hinged body for hinge goals (shown once a frame gives the goal angle). */
  private buildGhost(scene: Scene): void {
    if (this.ghost) { this.world.remove(this.ghost); disposeTree(this.ghost); }
    const h = scene.goal?.hinge;
    this.ghost = h ? ghostOf(scene.bodies[h.body]?.geoms ?? []) : null;
    if (this.ghost) this.world.add(this.ghost);
  }

  /** Turns the ghost to the goal angle `angle` (rad) about the hinge line. */
  private poseGhost(h: NonNullable<NonNullable<Scene['goal']>['hinge']>, angle: number): void {
    const p = this.ghostPos, q = this.ghostQuat;
    hingePose(h, angle, p, q);
    this.ghost!.position.set(p[0]!, p[1]!, p[2]!);
    this.ghost!.quaternion.set(q[1]!, q[2]!, q[3]!, q[0]!);
    this.ghost!.visible = true;
  }

  private applyPoses(alpha: number): void {
    const a = this.prev, b = this.cur;
    if (b.length === 0) return;
    for (let i = 1; i < this.bodies.length; i++) {
      const o = i * 7, g = this.bodies[i]!;
      g.position.set(a[o]! + (b[o]! - a[o]!) * alpha, a[o + 1]! + (b[o + 1]! - a[o + 1]!) * alpha, a[o + 2]! + (b[o + 2]! - a[o + 2]!) * alpha);
      this.qa.set(a[o + 4]!, a[o + 5]!, a[o + 6]!, a[o + 3]!);
      this.qb.set(b[o + 4]!, b[o + 5]!, b[o + 6]!, b[o + 3]!);
      g.quaternion.slerpQuaternions(this.qa, this.qb, alpha);
    }
  }

  /** Moves the orbit target (and the camera with it) toward the followed body, smoothly. */
  private followRobot(dt: number): void {
    const f = this.scene?.follow;
    if (!this.follow || f === null || f === undefined || !this.bodies[f] || this.cur.length === 0) return;
    const p = this.bodies[f]!.position, t = this.controls.target;
    const k = Math.min(1, 6 * dt);
    const dx = (p.x - t.x) * k, dy = (p.y - t.y) * k, dz = (p.z - t.z) * k * 0.2;
    t.x += dx; t.y += dy; t.z += dz;
    this.camera.position.x += dx; this.camera.position.y += dy; this.camera.position.z += dz;
  }

  /** Points the camera at the robot once per scene: a three-quarter side view sized to the robot. */
  private frameCamera(): void {
    this.applyPoses(1);
    const box = new THREE.Box3();
    for (let i = 1; i < this.bodies.length; i++) box.expandByObject(this.bodies[i]!);
    if (box.isEmpty()) return;
    const size = box.getSize(new THREE.Vector3()).length();
    const f = this.scene?.follow;
    const following = f !== null && f !== undefined && this.bodies[f] !== undefined;
    const target = following ? this.bodies[f]!.position.clone() : box.getCenter(new THREE.Vector3());
    const dist = following ? Math.max(2.2, size * 1.9) : Math.max(2.6, size * 2.3);
    this.controls.target.copy(target);
    this.camera.position.copy(target).add(new THREE.Vector3(0.35, -1, 0.42).normalize().multiplyScalar(dist));
    this.controls.update();
    this.framed = true;
  }

  private updateArrow(f: Float32Array): void {
    const on = (f[F.flags]! & FLAG_DRAGGING) !== 0;
    this.arrow.visible = on;
    if (!on) return;
    const from = new THREE.Vector3(f[F.grab], f[F.grab + 1], f[F.grab + 2]);
    const dir = new THREE.Vector3(f[F.target], f[F.target + 1], f[F.target + 2]).sub(from);
    const len = dir.length();
    if (len < 1e-4) { this.arrow.visible = false; return; }
    this.arrow.point(from, dir, len, Math.hypot(f[F.force]!, f[F.force + 1]!, f[F.force + 2]!));
  }

  /** Below ~20 fps (e.g. WebGL on the CPU), renders fewer pixels, down to a quarter of the CSS resolution. */
  private adaptResolution(dt: number): void {
    this.frameTime += (dt - this.frameTime) * 0.1;
    if (!this.adaptive || ++this.sinceAdapt < 20 || this.frameTime < 0.05 || this.pixelRatio <= 0.5) return;
    this.pixelRatio = Math.max(0.5, this.pixelRatio * 0.75);
    this.renderer.setPixelRatio(this.pixelRatio);
    this.resize();
    this.frameTime = 1 / 30;
    this.sinceAdapt = 0;
  }

  private resize(): void {
    const w = this.canvas.clientWidth || 800, h = this.canvas.clientHeight || 600;
    this.renderer.setSize(w, h, false);
    this.camera.aspect = w / h;
    this.camera.updateProjectionMatrix();
  }
}
