// Rapier settings per robot, chosen by measurement (docs/results.md): the first preset of each list is the default.
import type { SimSettingsInput } from './settings.ts';

/** Robot name → MJCF file under assets/. */
export const ROBOT_FILES: Record<string, string> = {
  'half-cheetah': 'half_cheetah.xml',
  quadruped: 'ant.xml',
  arm: 'arm.xml',
};

export interface SimPreset {
  name: string;
  settings: SimSettingsInput;
}

/** Candidate settings per robot; `bench sim` measures them all, the first is used by tasks and demos. */
export const SIM_PRESETS: Record<string, SimPreset[]> = {
  'half-cheetah': [
    { name: 'dt 0.01, 1 substep, 4 iterations', settings: { substeps: 1, solverIterations: 4 } },
  ],
  quadruped: [
    { name: 'dt 0.01, 1 substep, 4 iterations', settings: { substeps: 1, solverIterations: 4 } },
  ],
  arm: [
    { name: 'dt 0.01, 1 substep, 4 iterations', settings: { substeps: 1, solverIterations: 4 } },
  ],
};
