// three.js meshes for MJCF geoms (MuJoCo size semantics, z-up), the checkered ground and the markers (goal point, door ghost, pull arrow).
import * as THREE from 'three';
import type { SceneGeom } from '../protocol.ts';

/**
 * Side length (m) drawn for a ground plane. The simulation treats planes as half-spaces, so the
 * page draws every plane large and moves it with the camera in whole checker tiles (see `TILE`).
 */
const PLANE_SIZE = 200;
/** Period (m) of the checker texture: 8 squares of 0.5 m. */
export const TILE = 4;

let checker: THREE.CanvasTexture | null = null;

/** A two-tone checker texture (8 × 8 squares) shared by every ground plane. */
function checkerTexture(): THREE.CanvasTexture {
  if (checker) return checker;
  const c = document.createElement('canvas');
  c.width = c.height = 256;
  const g = c.getContext('2d')!;
  for (let i = 0; i < 8; i++) {
    for (let j = 0; j < 8; j++) {
      g.fillStyle = (i + j) % 2 === 0 ? '#ffffff' : '#d4d8dc';
      g.fillRect(i * 32, j * 32, 32, 32);
    }
  }
  checker = new THREE.CanvasTexture(c);
  checker.wrapS = checker.wrapT = THREE.RepeatWrapping;
  checker.colorSpace = THREE.SRGBColorSpace;
  checker.anisotropy = 4;
  return checker;
}

function material(rgba: SceneGeom['rgba']): THREE.MeshStandardMaterial {
  const [r, g, b, a] = rgba;
  return new THREE.MeshStandardMaterial({
    color: new THREE.Color().setRGB(r, g, b, THREE.SRGBColorSpace),
    roughness: 0.6, metalness: 0.05, transparent: a < 1, opacity: a,
  });
}

/** Geometry in the geom's own frame: capsules and cylinders along local z as in MuJoCo. */
function geometry(g: SceneGeom): THREE.BufferGeometry {
  const s = g.size;
  switch (g.type) {
    case 'sphere':
      return new THREE.SphereGeometry(s[0]!, 24, 16);
    case 'capsule':
      return new THREE.CapsuleGeometry(s[0]!, 2 * (s[1] ?? 0), 8, 16).rotateX(Math.PI / 2);
    case 'cylinder':
      return new THREE.CylinderGeometry(s[0]!, s[0]!, 2 * (s[1] ?? 0), 24).rotateX(Math.PI / 2);
    case 'box':
      return new THREE.BoxGeometry(2 * s[0]!, 2 * (s[1] ?? s[0]!), 2 * (s[2] ?? s[0]!));
    case 'plane':
      return new THREE.PlaneGeometry(PLANE_SIZE, PLANE_SIZE);
  }
}

/** A mesh for one geom, posed in its body's frame; planes get the checker texture (0.5 m squares) tinted by their colour. */
export function geomMesh(g: SceneGeom): THREE.Mesh {
  const mat = material(g.rgba);
  if (g.type === 'plane') {
    const tex = checkerTexture().clone();
    tex.repeat.set(PLANE_SIZE / TILE, PLANE_SIZE / TILE);
    tex.needsUpdate = true;
    mat.map = tex;
    mat.roughness = 0.95;
  }
  const mesh = new THREE.Mesh(geometry(g), mat);
  mesh.position.set(g.pos[0], g.pos[1], g.pos[2]);
  mesh.quaternion.set(g.quat[1], g.quat[2], g.quat[3], g.quat[0]);
  mesh.castShadow = g.type !== 'plane';
  mesh.receiveShadow = true;
  return mesh;
}

/** The desired-goal marker: a translucent red sphere with a ring, draggable. */
export function goalMarker(): THREE.Mesh {
  const mesh = new THREE.Mesh(
    new THREE.SphereGeometry(0.035, 24, 16),
    new THREE.MeshStandardMaterial({ color: 0xe0342b, transparent: true, opacity: 0.75, emissive: 0x5a0d08 }),
  );
  const ring = new THREE.Mesh(new THREE.TorusGeometry(0.05, 0.006, 8, 32), new THREE.MeshBasicMaterial({ color: 0xe0342b }));
  mesh.add(ring);
  mesh.visible = false;
  return mesh;
}

/**
 * A translucent green ghost of one body (its geoms, in the body frame): the door at its goal
 * angle. It is drawn after the solid scene and does not hide what is behind it.
 */
export function ghostOf(geoms: SceneGeom[]): THREE.Group {
  const group = new THREE.Group();
  for (const g of geoms) {
    const mesh = geomMesh(g);
    (mesh.material as THREE.Material).dispose();
    mesh.material = new THREE.MeshStandardMaterial({ color: 0x35b56a, emissive: 0x0f4d28, transparent: true, opacity: 0.38, depthWrite: false, roughness: 0.5 });
    mesh.castShadow = false;
    mesh.receiveShadow = false;
    group.add(mesh);
  }
  group.renderOrder = 5;
  group.visible = false;
  return group;
}

/** The pull arrow shown while a body is dragged: a shaft and head from the grabbed point to the spring's target. */
export class PullArrow extends THREE.Group {
  private readonly mat = new THREE.MeshBasicMaterial({ color: 0xff8a00, depthTest: false, transparent: true });
  private readonly shaft = new THREE.Mesh(new THREE.CylinderGeometry(0.008, 0.008, 1, 12).translate(0, 0.5, 0), this.mat);
  private readonly head = new THREE.Mesh(new THREE.ConeGeometry(0.025, 0.06, 16).translate(0, -0.03, 0), this.mat);
  private readonly target = new THREE.Mesh(new THREE.SphereGeometry(0.015, 12, 8), this.mat);
  private readonly up = new THREE.Vector3(0, 1, 0);

  constructor() {
    super();
    this.add(this.shaft, this.head, this.target);
    this.renderOrder = 10;
    this.visible = false;
  }

  /** Points from `from` along unit-or-not `dir` for `len` metres; colour goes orange → red with the force (N). */
  point(from: THREE.Vector3, dir: THREE.Vector3, len: number, force: number): void {
    this.position.copy(from);
    this.quaternion.setFromUnitVectors(this.up, dir.clone().normalize());
    this.shaft.scale.set(1, Math.max(1e-3, len - 0.05), 1);
    this.head.position.set(0, len, 0);
    this.target.position.set(0, len, 0);
    this.mat.color.setHSL(Math.max(0, 0.09 - force / 20000), 1, 0.5);
  }
}

/** Frees the GPU resources of everything under `root`. */
export function disposeTree(root: THREE.Object3D): void {
  root.traverse((o) => {
    const mesh = o as THREE.Mesh;
    mesh.geometry?.dispose();
    const mats = Array.isArray(mesh.material) ? mesh.material : mesh.material ? [mesh.material] : [];
    for (const m of mats) {
      (m as THREE.MeshStandardMaterial).map?.dispose();
      m.dispose();
    }
  });
}
