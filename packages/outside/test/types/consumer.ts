// What test/types.test.ts compiles in a brand-new project: one import of every entry point of
// every public package, and a check that none of what they export is typed `any`.
import {
  type createSigner,
  type createVerifier,
  cryptoBackend,
  type memoryReplayStore,
  type postgresReplayStore,
  type redisReplayStore,
  type toProblem,
  type VerificationError,
  type VerifiedMessage,
} from '@signet/core';
import type { handle, nodeRequestIncoming, pathGuard } from '@signet/core/adapter';
import type { generateSigningKey, signedRequest } from '@signet/core/testing';
import type { brokerEnv, startDevServer } from '@signet/dev-server';
import type { getMessage as expressMessage, signature as expressSignature } from '@signet/express';
import type { getMessage as fastifyMessage, signatureHook } from '@signet/fastify';
import type { withSignature as h3WithSignature, verifySignatureH3 } from '@signet/h3';
import type { signature as honoSignature } from '@signet/hono';
import type { withSignature as lambdaWithSignature } from '@signet/lambda';
import type { serve } from '@signet/lambda/local';
import type { verifySignature, verifySignatureAppRouter } from '@signet/next';
import type { verifySignatureSolidjs } from '@signet/solidstart';
import type { signatureHandle, verifySignatureSvelte } from '@signet/sveltekit';

type IsAny<T> = 0 extends 1 & T ? true : false;
type NoAny<T extends readonly unknown[]> = {
  [K in keyof T]: IsAny<T[K]> extends true ? 'any' : 'typed';
};
type Exported = [
  typeof createSigner,
  typeof createVerifier,
  typeof cryptoBackend,
  typeof memoryReplayStore,
  typeof postgresReplayStore,
  typeof redisReplayStore,
  typeof toProblem,
  VerificationError,
  VerifiedMessage,
  typeof handle,
  typeof nodeRequestIncoming,
  typeof pathGuard,
  typeof generateSigningKey,
  typeof signedRequest,
  typeof brokerEnv,
  typeof startDevServer,
  typeof expressMessage,
  typeof expressSignature,
  typeof fastifyMessage,
  typeof signatureHook,
  typeof h3WithSignature,
  typeof verifySignatureH3,
  typeof honoSignature,
  typeof lambdaWithSignature,
  typeof serve,
  typeof verifySignature,
  typeof verifySignatureAppRouter,
  typeof verifySignatureSolidjs,
  typeof signatureHandle,
  typeof verifySignatureSvelte,
];
type Typed<T extends readonly unknown[]> = { [K in keyof T]: 'typed' };

export const typed: NoAny<Exported> = [] as unknown as Typed<Exported>;
export const backend: 'node' | 'web' = cryptoBackend;
