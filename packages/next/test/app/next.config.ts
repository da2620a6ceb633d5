import type { NextConfig } from 'next';

const config: NextConfig = {
  // The conformance fixture is shared as TypeScript source.
  transpilePackages: ['@signet/conformance'],
};

export default config;
