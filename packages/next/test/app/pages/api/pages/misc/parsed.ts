// Deliberately without `bodyParser: false`: Next parses the body first, and the wrapper must
// refuse (500 with the fix) instead of verifying re-serialised bytes.
import { KEYS } from '@signet/conformance/fixture';
import { verifySignature } from '@signet/next';

export default verifySignature((_req, res) => res.status(200).send('never'), KEYS);
