// The official helpers' names and options, so that migrating is an import change.
import { KEYS } from '@signet/conformance/fixture';
import { type VerifySignatureConfig, verifySignatureEdge } from '@signet/next';

const config: VerifySignatureConfig = { ...KEYS, clockTolerance: 5, devMode: false };
export const dynamic = 'force-dynamic';
export const POST = verifySignatureEdge(
  async (request: Request) => new Response(await request.text()),
  config,
);
