import { guarded } from '../../../../lib/app-routes';

export const runtime = 'edge';
export const dynamic = 'force-dynamic';
export const GET = guarded;
export const POST = guarded;
