#!/usr/bin/env node
// `pnpm bench`: runs every benchmark module in scripts/bench/ (sorted by name) in one process, prints each
// section as it finishes, and writes them all to docs/benchmarks.md. A module exports
//   export async function run({ log }) { return { title, markdown } }
// Figures are ratios or absolute numbers measured side by side in this one run; tests hold no timings.
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const root = fileURLToPath(new URL('..', import.meta.url));
const dir = join(root, 'scripts', 'bench');
const only = process.argv.slice(2);
const files = (await readdir(dir)).filter((f) => f.endsWith('.bench.mjs')).sort();
const sections = [];
for (const file of files) {
  if (only.length && !only.some((o) => file.includes(o))) continue;
  const started = performance.now();
  console.log(`\n=== ${file}`);
  const mod = await import(pathToFileURL(join(dir, file)).href);
  const { title, markdown } = await mod.run({ log: (line) => console.log(line), root });
  console.log(markdown);
  console.log(`(${file}: ${((performance.now() - started) / 1000).toFixed(1)} s)`);
  sections.push(`## ${title}\n\n${markdown.trim()}\n`);
}
const header = [
  '# Benchmarks',
  '',
  `Written by \`pnpm bench\` on ${new Date().toISOString().slice(0, 10)}: Node ${process.version}, ` +
    `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB.`,
  'Every figure in a table was measured in the same run as the others in that table.',
  '',
].join('\n');
if (!only.length) {
  await mkdir(join(root, 'docs'), { recursive: true });
  await writeFile(join(root, 'docs', 'benchmarks.md'), `${header}\n${sections.join('\n')}`);
  console.log('\nwrote docs/benchmarks.md');
}
