import { cryptoBackend } from '@signet/core';

export const runtime = 'edge';
export const dynamic = 'force-dynamic';
// Which build of @signet/core this runtime loaded (the Edge runtime must get the Web one).
export const GET = () => Response.json({ backend: cryptoBackend });
