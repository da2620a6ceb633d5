// `context.invoke`: the invoking run publishes the invoked workflow's trigger with
// `Upstash-Workflow-Invoke: true` and a body naming itself (`InvokeWorkflowRequest` in the SDK:
// the payload for the invoked run, and the invoker's run, URL, headers and step). The broker
// starts the invoked run with the payload alone and remembers the invoker, to send it the
// result when the invoked run ends (run-end.ts).
import { badRequest } from '../errors.ts';
import type { Invoker } from '../store/workflows.ts';

interface InvokeRequest {
  body?: unknown;
  headers?: unknown;
  workflowRunId?: unknown;
  workflowRunCreatedAt?: unknown;
  workflowUrl?: unknown;
  step?: unknown;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The invoked run's payload and its invoker, from an invoke's body; a 400 when malformed. */
export function readInvoke(body: Uint8Array): { payload: Uint8Array; invoker: Invoker } {
  let request: InvokeRequest;
  try {
    request = JSON.parse(Buffer.from(body).toString('utf8')) as InvokeRequest;
  } catch {
    throw badRequest('an Upstash-Workflow-Invoke publish needs the JSON body context.invoke sends');
  }
  const { workflowRunId, workflowUrl, step, headers } = request;
  if (
    !isRecord(request) ||
    typeof workflowRunId !== 'string' ||
    typeof workflowUrl !== 'string' ||
    !isRecord(step) ||
    !isRecord(headers)
  )
    throw badRequest(
      'an Upstash-Workflow-Invoke body needs workflowRunId, workflowUrl, headers and step',
    );
  const lists: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (Array.isArray(value) && value.every((item) => typeof item === 'string'))
      lists[name] = value;
  }
  return {
    payload: Buffer.from(typeof request.body === 'string' ? request.body : ''),
    invoker: {
      runId: workflowRunId,
      url: workflowUrl,
      createdAt:
        typeof request.workflowRunCreatedAt === 'number' ? request.workflowRunCreatedAt : 0,
      headers: lists,
      step,
    },
  };
}
