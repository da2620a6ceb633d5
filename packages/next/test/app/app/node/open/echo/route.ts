import { open } from '../../../../lib/app-routes';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';
export const GET = open;
export const POST = open;
