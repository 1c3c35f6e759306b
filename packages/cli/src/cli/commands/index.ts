// Registers every CLI command. Each command module is loaded lazily, so `warmpool probe` does not pay for
// the simulator and `warmpool decisions` does not load the stand-ins.
import { registerCommand } from '../main.js';

// --- backtest (helper: simulator) ---
registerCommand(
  'backtest',
  'replay a trace through the simulator under every warming policy, side by side',
  async () => (await import('./backtest.js')).run,
);

// --- probe (helper: warming) ---
registerCommand(
  'probe',
  'fire one warm round and report the distinct containers reached',
  async () => (await import('./probe.js')).run,
);

// --- tick, decisions (helper: controller) ---
registerCommand('tick', 'run one controller tick (decide, record, warm) from a laptop', () =>
  import('./tick.js').then((m) => m.default),
);
registerCommand('decisions', 'print recorded decisions of a target, newest first', () =>
  import('./decisions.js').then((m) => m.default),
);

// --- demo (helper: infra/demo) ---
registerCommand(
  'demo',
  'replay a real trace through the real controller on local stand-ins (no AWS account) and compare policies',
  async () => (await import('./demo.js')).run,
);

// --- local (helper: local stand-ins) ---
registerCommand(
  'local',
  'serve a local Lambda account (Lambda, CloudWatch, DynamoDB) on loopback for tick, probe and decisions',
  async () => (await import('./local.js')).run,
);

// Keeps the import used while no command is registered yet.
void registerCommand;
