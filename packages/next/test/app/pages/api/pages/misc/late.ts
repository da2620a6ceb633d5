// Answers after the handler's promise settled: the replay mark must follow the real response.
import { KEYS } from '@signet/conformance/fixture';
import { memoryReplayStore } from '@signet/core';
import { verifySignature } from '@signet/next';

export const config = { api: { bodyParser: false } };

export default verifySignature(
  (req, res) => {
    const status = Number(new URL(`http://x${req.url}`).searchParams.get('status') ?? '200');
    setTimeout(() => res.status(status).send('late'), 20);
  },
  { ...KEYS, replay: memoryReplayStore() },
);
