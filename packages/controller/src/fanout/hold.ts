// The hold formula is pure and the simulator's backtests need it too (lab must not import controller), so it
// lives in core; the controller keeps importing it from here.
export type { HoldChoice, HoldOptions } from '@warmpool/core';
export { HOLD_DEFAULTS, measuredDispatchRate, pickHold, pickHoldMs } from '@warmpool/core';
