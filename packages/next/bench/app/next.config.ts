import type { NextConfig } from 'next';

// @signet/test-kit ships TypeScript sources (the floor check).
const config: NextConfig = { transpilePackages: ['@signet/test-kit'] };

export default config;
