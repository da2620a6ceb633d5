import { withProblems } from '../../../lib/problem.ts';
import { cronUrl, qstash } from '../../../lib/qstash.ts';

export const dynamic = 'force-dynamic';

// The dashboard's "Sync now": a one-off message through the broker to the same signed endpoint
// the schedule calls. A form post, so it works without JavaScript.
export const POST = withProblems(async function syncNow(request: Request) {
  const { messageId } = await qstash().publishJSON({
    url: cronUrl(new URL(request.url).origin),
    body: { trigger: 'manual' },
    retries: 3,
  });
  // Relative, so the browser stays on the host it used.
  return new Response(null, {
    status: 303,
    headers: { location: `/?queued=${encodeURIComponent(messageId)}` },
  });
});
