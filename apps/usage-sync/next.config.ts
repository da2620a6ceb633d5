import type { NextConfig } from 'next';

const config: NextConfig = {
  // Loaded from node_modules at run time: PGlite ships wasm and data files next to its code, and
  // pg has optional native bindings.
  serverExternalPackages: ['@electric-sql/pglite', 'pg'],
};

export default config;
