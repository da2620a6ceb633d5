import { dispatch } from '../../../../lib/app-routes';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';
export const GET = dispatch;
export const POST = dispatch;
