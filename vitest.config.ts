import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Tests run against each package's TypeScript source, so `pnpm test` needs no build first.
const src = (pkg: string) => fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url));
const PACKAGES = ['warmup', 'core', 'lab', 'controller', 'local', 'cli', 'infra'];
const alias = PACKAGES.map((pkg) => ({
  find: new RegExp(`^@warmpool/${pkg}$`),
  replacement: src(pkg),
}));

const project = (name: string, include: string[], extra: Record<string, unknown> = {}) => ({
  resolve: { alias },
  test: { name, include, environment: 'node', ...extra },
});

// CI asks for a JSON summary beside the usual output, to print a plain closing line (see .ci/run).
const jsonReport = process.env.WARMPOOL_TEST_REPORT;

export default defineConfig({
  test: {
    reporters: jsonReport ? ['default', ['json', { outputFile: jsonReport }]] : ['default'],
    projects: [
      ...['warmup', 'core', 'lab', 'controller', 'local', 'cli'].map((pkg) =>
        project(pkg, [`packages/${pkg}/test/**/*.test.ts`]),
      ),
      project('infra', ['packages/infra/test/**/*.test.ts'], { testTimeout: 120_000 }),
      // The packed packages installed with npm outside the workspace (needs the npm registry).
      project('consumer', ['test/consumer/**/*.test.ts'], { testTimeout: 600_000, hookTimeout: 900_000 }),
      project('e2e', ['test/**/*.test.ts'], {
        exclude: ['test/consumer/**', '**/node_modules/**'],
        testTimeout: 300_000,
        hookTimeout: 120_000,
        globalSetup: ['test/global-setup.ts'],
      }),
    ],
  },
});
