// The fixture's protected routes for the Pages Router, by name.
import type { ProtectedRoute } from '@signet/conformance/fixture';
import type { NextApiHandler } from 'next';
import { routes } from '../../../../lib/pages-routes';

export const config = { api: { bodyParser: false } };

const handler: NextApiHandler = (req, res) => {
  const name = String(req.query.route);
  const found = routes[(name === 'throw' ? 'throws' : name) as ProtectedRoute];
  if (!found) return res.status(404).send('no such fixture route');
  return found(req, res);
};

export default handler;
