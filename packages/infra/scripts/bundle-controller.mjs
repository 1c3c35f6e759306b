#!/usr/bin/env node
// Bundles the controller Lambda (its handler, core, the protocol and the pinned AWS SDK clients) into one ESM
// file under assets/controller, which the construct ships with `Code.fromAsset`. Runs at `pnpm build`, so a
// user's `cdk synth` needs no esbuild, no Docker and no source tree.
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const outdir = fileURLToPath(new URL('../assets/controller/', import.meta.url));
const entry = fileURLToPath(import.meta.resolve('@warmpool/controller/handler'));

rmSync(outdir, { recursive: true, force: true });
const result = await build({
  entryPoints: { index: entry },
  outdir,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node24',
  mainFields: ['module', 'main'],
  // Some bundled CommonJS dependencies call `require` for Node built-ins, which esbuild cannot rewrite in ESM.
  banner: {
    js: "import { createRequire as __warmpoolCreateRequire } from 'node:module'; const require = __warmpoolCreateRequire(import.meta.url);",
  },
  minify: true,
  // Stack traces map back to the sources (NODE_OPTIONS=--enable-source-maps) without shipping the sources.
  sourcemap: true,
  sourcesContent: false,
  legalComments: 'linked',
  metafile: true,
  logLevel: 'warning',
});
const bytes = Object.values(result.metafile.outputs).reduce((sum, o) => sum + o.bytes, 0);
console.log(`bundle-controller: assets/controller (${(bytes / 1024).toFixed(0)} KiB)`);
