export { eventually } from './eventually.ts';
export { BENCH_BODY, floorVerifier } from './floor.ts';
export { type PathVariant, pathVariants } from './path-variants.ts';
export { b64url, bodyClaim, makeToken, nowSeconds, type TokenSpec } from './tokens.ts';
