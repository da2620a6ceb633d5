// SolidStart's idiom for guarding a whole path: middleware that sees every request, with `paths`.
import { GUARDED_PREFIX } from '@signet/conformance/fixture';
import { signature } from '@signet/solidstart';
import { createMiddleware } from '@solidjs/start/middleware';
import { fixtureSignatureOptions } from './fixture.ts';

export default createMiddleware({
  onRequest: [signature({ ...fixtureSignatureOptions('prefixed'), paths: [GUARDED_PREFIX] })],
});
