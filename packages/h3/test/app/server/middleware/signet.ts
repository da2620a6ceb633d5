// Nuxt's idiom for guarding a whole path: middleware that sees every request, with `paths`.
import { GUARDED_PREFIX } from '@signet/conformance/fixture';
import { signature } from '@signet/h3';

export default signature({ ...fixtureSignatureOptions('prefixed'), paths: [GUARDED_PREFIX] });
