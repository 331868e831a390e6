// Robot models used by tasks: loaded once per process from assets/, with their simulation presets.
import { assetPath } from '../assets/index.ts';
import { loadMjcfFile } from '../sim/mjcf/index.ts';
import { attachModel } from '../sim/compose.ts';
import { defaultPreset, type SimPreset } from '../sim/presets.ts';
import { initRapier, type Rapier } from '../sim/rapier.ts';
import type { Model } from '../sim/model.ts';

const cache = new Map<string, Model>();

/** A fresh copy-safe model from an asset file (parsed once; the Model is never mutated afterwards). */
export function assetModel(file: string): Model {
  let model = cache.get(file);
  if (!model) {
    model = loadMjcfFile(assetPath(file));
    cache.set(file, model);
  }
  return model;
}

export interface RobotBuild {
  R: Rapier;
  model: Model;
  preset: SimPreset;
}

/** The model, preset and initialised Rapier flavour for a robot, optionally with arena files attached. */
export async function buildRobot(robot: string, file: string, arenas: string[] = []): Promise<RobotBuild> {
  const preset = defaultPreset(robot);
  const model = arenas.reduce((m, a) => attachModel(m, assetModel(a)), assetModel(file));
  return { R: await initRapier(preset.flavor), model, preset };
}
