import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Tests run against each package's TypeScript source, so `pnpm test` needs no build first.
const src = (pkg: string) => fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url));
const alias = ['core', 'local', 'controller', 'infra'].map((pkg) => ({
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
      project('core', ['packages/core/test/**/*.test.ts']),
      project('local', ['packages/local/test/**/*.test.ts']),
      project('controller', ['packages/controller/test/**/*.test.ts']),
      project('infra', ['packages/infra/test/**/*.test.ts'], { testTimeout: 120_000 }),
      project('e2e', ['test/**/*.test.ts'], {
        testTimeout: 300_000,
        hookTimeout: 120_000,
        globalSetup: ['test/global-setup.ts'],
      }),
    ],
  },
});
