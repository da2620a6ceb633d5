// JavaScript config: next.config.ts needs Next 15.
/** @type {import('next').NextConfig} */
export default {
  // The conformance fixture is shared as TypeScript source.
  transpilePackages: ['@signet/conformance'],
};
