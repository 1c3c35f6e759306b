// Public API of @warmpool/infra. Export by name; never `export *`.
export const VERSION = '0.1.0' as const;
