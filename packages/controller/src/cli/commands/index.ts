// Registers every CLI command. Each command module is loaded lazily, so `warmpool probe` does not pay for
// the simulator and `warmpool decisions` does not load the stand-ins.
import { registerCommand } from '../main.js';

// --- backtest (helper: simulator) ---

// --- probe (helper: warming) ---

// --- tick, decisions (helper: controller) ---
registerCommand('decisions', 'print recorded decisions of a target, newest first', () =>
  import('./decisions.js').then((m) => m.default),
);

// --- demo (helper: infra/demo) ---

// Keeps the import used while no command is registered yet.
void registerCommand;
