// Mouse gestures on the 3-D view: grab a body and pull it (the server's drag spring), or move the goal marker; everything else orbits.
import * as THREE from 'three';
import type { SceneView } from './render.ts';
import type { ClientMessage } from '../protocol.ts';

type Send = (msg: ClientMessage) => void;

/** Minimum milliseconds between drag updates sent to the server (the server also rate-limits). */
const DRAG_EVERY_MS = 16;
const GOAL_EVERY_MS = 60;

interface Grab {
  kind: 'body' | 'goal';
  body: number;
  /** The plane the pointer moves the grabbed point in: through the grab point, facing the camera. */
  plane: THREE.Plane;
  lastSent: number;
  pointerId: number;
}

export class Gestures {
  /** The body kicks go to: the last one grabbed (or the followed one). */
  selected: number | null = null;
  private grab: Grab | null = null;
  private readonly ray = new THREE.Raycaster();
  private readonly ndc = new THREE.Vector2();
  private readonly hit = new THREE.Vector3();

  constructor(private readonly view: SceneView, private readonly send: Send, private readonly onSelect: (body: number) => void) {
    const el = view.canvas.parentElement!;
    el.addEventListener('pointerdown', (e) => this.down(e), { capture: true });
    window.addEventListener('pointermove', (e) => this.move(e));
    window.addEventListener('pointerup', (e) => this.up(e));
    window.addEventListener('pointercancel', (e) => this.up(e));
  }

  get dragging(): boolean {
    return this.grab !== null;
  }

  private aim(e: PointerEvent): void {
    const r = this.view.canvas.getBoundingClientRect();
    this.ndc.set(((e.clientX - r.left) / r.width) * 2 - 1, -((e.clientY - r.top) / r.height) * 2 + 1);
    this.ray.setFromCamera(this.ndc, this.view.camera);
  }

  private down(e: PointerEvent): void {
    if (e.button !== 0 || e.target !== this.view.canvas) return;
    this.aim(e);
    const targets: THREE.Object3D[] = [...this.view.pickable];
    if (this.view.goal.visible) targets.push(this.view.goal);
    const hit = this.ray.intersectObjects(targets, false)[0];
    if (!hit) return;
    const normal = this.view.camera.getWorldDirection(new THREE.Vector3()).negate();
    const plane = new THREE.Plane().setFromNormalAndCoplanarPoint(normal, hit.point);
    this.view.controls.enabled = false;
    this.view.canvas.setPointerCapture(e.pointerId);
    e.stopPropagation();
    if (hit.object === this.view.goal) {
      this.grab = { kind: 'goal', body: -1, plane, lastSent: 0, pointerId: e.pointerId };
      this.view.holdGoal = true;
      return;
    }
    const body = hit.object.userData.body as number;
    const local = this.view.bodies[body]!.worldToLocal(hit.point.clone());
    this.grab = { kind: 'body', body, plane, lastSent: performance.now(), pointerId: e.pointerId };
    this.selected = body;
    this.onSelect(body);
    this.send({ type: 'drag', body, local: [local.x, local.y, local.z], target: [hit.point.x, hit.point.y, hit.point.z] });
  }

  private move(e: PointerEvent): void {
    const g = this.grab;
    if (!g || e.pointerId !== g.pointerId) return;
    this.aim(e);
    if (!this.ray.ray.intersectPlane(g.plane, this.hit)) return;
    const now = performance.now();
    if (g.kind === 'goal') {
      this.view.goal.position.copy(this.hit);
      if (now - g.lastSent >= GOAL_EVERY_MS) this.sendGoal(now);
      return;
    }
    if (now - g.lastSent < DRAG_EVERY_MS) return;
    g.lastSent = now;
    this.send({ type: 'drag', body: g.body, target: [this.hit.x, this.hit.y, this.hit.z] });
  }

  private up(e: PointerEvent): void {
    const g = this.grab;
    if (!g || e.pointerId !== g.pointerId) return;
    this.grab = null;
    this.view.controls.enabled = true;
    if (g.kind === 'goal') {
      this.sendGoal(performance.now());
      this.view.holdGoal = false;
    } else this.send({ type: 'release' });
  }

  private sendGoal(now: number): void {
    if (this.grab) this.grab.lastSent = now;
    const p = this.view.goal.position;
    this.send({ type: 'goal', goal: [p.x, p.y, p.z] });
  }
}
