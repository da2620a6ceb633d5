import { echo } from '@signet/conformance/fixture';

export default defineEventHandler(async (event) =>
  echo('open', event.method, undefined, await readFixtureBody(event)),
);
