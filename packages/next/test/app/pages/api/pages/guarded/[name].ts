// Every `/api/pages/guarded/<name>`: the `prefixed` route.
import { routes } from '../../../../lib/pages-routes';

export const config = { api: { bodyParser: false } };

export default routes.prefixed;
