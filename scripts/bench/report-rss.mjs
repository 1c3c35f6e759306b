// Preloaded (`node --import`) into a benchmarked CLI process: prints its peak RSS on exit, on stderr, so the
// figure is the process's own (Node's startup included), as a 512 MB Lambda would count it.
process.on('exit', () => {
  process.stderr.write(`\nWARMPOOL_BENCH_RSS ${process.resourceUsage().maxRSS}\n`);
});
