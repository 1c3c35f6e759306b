#!/usr/bin/env node
// The `warmpool` CLI. The implementation lives in dist/cli/main.js (built by `pnpm build`).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const { main } = await import('../dist/cli/main.js');
process.exitCode = await main(process.argv.slice(2));
