import { z } from 'zod';

/** The body of a refresh message; anything else is answered 422 by the hook before the endpoint runs. */
export const RefreshRequest = z.object({ id: z.number().int().positive() }).strict();
export type RefreshRequest = z.infer<typeof RefreshRequest>;
