// Test helpers: build SimWorlds from MJCF strings or shipped assets with an initialised Rapier.
import { readFileSync } from 'node:fs';
import { assetPath } from '../../assets/index.ts';
import { loadMjcf } from '../../sim/mjcf/index.ts';
import { initRapier } from '../../sim/rapier.ts';
import { createSimWorld, type SimWorld } from '../../sim/world.ts';
import type { SimSettingsInput } from '../../sim/settings.ts';
import { ROBOT_FILES, defaultPreset } from '../../sim/presets.ts';

export function assetXml(file: string): string {
  return readFileSync(assetPath(file), 'utf8');
}

export async function worldFromXml(xml: string, settings?: SimSettingsInput): Promise<SimWorld> {
  return createSimWorld(await initRapier(), loadMjcf(xml), settings);
}

export async function worldFromAsset(file: string, settings?: SimSettingsInput): Promise<SimWorld> {
  return worldFromXml(assetXml(file), settings);
}

/** Maximum absolute difference between two arrays. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** A robot's world at its default preset (flavour and settings). */
export async function worldForRobot(robot: string): Promise<SimWorld> {
  const preset = defaultPreset(robot);
  return createSimWorld(await initRapier(preset.flavor), loadMjcf(assetXml(ROBOT_FILES[robot]!)), preset.settings);
}
