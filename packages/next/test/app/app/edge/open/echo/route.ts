import { open } from '../../../../lib/app-routes';

export const runtime = 'edge';
export const dynamic = 'force-dynamic';
export const GET = open;
export const POST = open;
