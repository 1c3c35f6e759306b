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

export default defineConfig({
  test: {
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
