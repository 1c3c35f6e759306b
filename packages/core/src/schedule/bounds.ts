import type { ScheduleConfig } from './evaluate.js';
import { scheduledBounds } from './evaluate.js';

export interface BoundsWithSchedules {
  readonly min: number;
  readonly max: number;
  /** True when a schedule's min is the one in force (it is above the target's own). */
  readonly minFromSchedule: boolean;
  /** What the schedules did, for the decision's reasons; null when none holds over the window. */
  readonly note: string | null;
}

/**
 * The target's [min, max] over a decision window, with its schedules applied: while one holds, the highest
 * scheduled min raises the floor and a scheduled max replaces the ceiling (never below the floor). Pure.
 */
export function boundsWithSchedules(
  min: number,
  max: number,
  schedules: readonly ScheduleConfig[] | undefined,
  windowStartMs: number,
  windowEndMs: number,
): BoundsWithSchedules {
  const s = scheduledBounds(schedules, windowStartMs, windowEndMs);
  if (s === null) return { min, max, minFromSchedule: false, note: null };
  const floor = Math.max(min, s.min);
  const ceiling = Math.max(floor, s.max ?? max);
  const which = s.inForce
    .map(
      (f) =>
        `schedules[${f.index}] ${f.schedule.expression} (${f.schedule.timezone}) from ${new Date(f.fromMs).toISOString()} to ${new Date(f.toMs).toISOString()}`,
    )
    .join('; ');
  return {
    min: floor,
    max: ceiling,
    minFromSchedule: s.min > min,
    note: `${which}: bounds [${floor}, ${ceiling}] in force`,
  };
}
