import { badRequest, notFound } from '../../errors.ts';
import { isHttpUrl } from '../../publish/publish-headers.ts';
import type { Endpoint } from '../../store/url-groups.ts';
import { type Context, pathName, type Reply, type Route } from '../context.ts';

const GROUP = 'URL group name';

async function endpointsOf(context: Context): Promise<{ name?: unknown; url?: unknown }[]> {
  const body = (await context.json()) as { endpoints?: unknown } | null;
  if (
    typeof body !== 'object' ||
    body === null ||
    !Array.isArray(body.endpoints) ||
    body.endpoints.length === 0
  ) {
    throw badRequest('expected {"endpoints": [{"url": "https://…", "name": "optional"}, …]}');
  }
  return body.endpoints as { name?: unknown; url?: unknown }[];
}

async function add(context: Context, [raw]: string[]): Promise<Reply> {
  const name = pathName(raw, GROUP);
  const endpoints: Endpoint[] = (await endpointsOf(context)).map((endpoint, index) => {
    if (typeof endpoint?.url !== 'string' || !isHttpUrl(endpoint.url)) {
      throw badRequest(
        `endpoint ${index} needs an absolute http(s) "url", got ${JSON.stringify(endpoint?.url)}`,
      );
    }
    if (endpoint.name !== undefined && typeof endpoint.name !== 'string')
      throw badRequest(`endpoint ${index}: "name" must be a string`);
    return endpoint.name ? { url: endpoint.url, name: endpoint.name } : { url: endpoint.url };
  });
  context.store.urlGroups.addEndpoints(name, endpoints);
  return { status: 200 };
}

async function removeEndpoints(context: Context, [raw]: string[]): Promise<Reply> {
  const name = pathName(raw, GROUP);
  if (!context.store.urlGroups.get(name)) throw notFound(`URL group "${name}" not found`);
  const endpoints = (await endpointsOf(context)).map((endpoint, index) => {
    const url = typeof endpoint?.url === 'string' ? endpoint.url : undefined;
    const endpointName = typeof endpoint?.name === 'string' ? endpoint.name : undefined;
    if (!url && !endpointName)
      throw badRequest(`endpoint ${index} needs a "url" or a "name" to remove`);
    return { ...(url && { url }), ...(endpointName && { name: endpointName }) };
  });
  context.store.urlGroups.removeEndpoints(name, endpoints);
  return { status: 200 };
}

function get(context: Context, [raw]: string[]): Reply {
  const name = pathName(raw, GROUP);
  const group = context.store.urlGroups.get(name);
  if (!group) throw notFound(`URL group "${name}" not found`);
  return { status: 200, body: group };
}

function remove(context: Context, [raw]: string[]): Reply {
  const name = pathName(raw, GROUP);
  if (!context.store.urlGroups.delete(name)) throw notFound(`URL group "${name}" not found`);
  return { status: 200 };
}

/** URL groups; the API paths still say "topics", their old name. */
export const urlGroupRoutes: Route[] = [
  { method: 'POST', pattern: /^\/v2\/topics\/([^/]+)\/endpoints$/, handler: add },
  { method: 'DELETE', pattern: /^\/v2\/topics\/([^/]+)\/endpoints$/, handler: removeEndpoints },
  {
    method: 'GET',
    pattern: /^\/v2\/topics\/?$/,
    handler: (context) => ({ status: 200, body: context.store.urlGroups.list() }),
  },
  { method: 'GET', pattern: /^\/v2\/topics\/([^/]+)$/, handler: get },
  { method: 'DELETE', pattern: /^\/v2\/topics\/([^/]+)$/, handler: remove },
];
