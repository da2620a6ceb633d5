import { type SchemaIssue, VerificationError } from './errors.ts';
import { type Maybe, then } from './maybe.ts';

/**
 * The Standard Schema v1 interface (https://standardschema.dev), written out here so that zod,
 * valibot, arktype and friends work without Signet depending on any of them.
 */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  readonly '~standard': {
    readonly version: 1;
    readonly vendor: string;
    readonly validate: (
      value: unknown,
    ) => StandardSchemaResult<Output> | Promise<StandardSchemaResult<Output>>;
    readonly types?: { readonly input: Input; readonly output: Output } | undefined;
  };
}

export type StandardSchemaResult<Output> =
  | { readonly value: Output; readonly issues?: undefined }
  | { readonly issues: readonly SchemaIssue[] };

/** What `message.data` holds: the schema's output type, or `undefined` without a schema. */
export type InferData<S> = S extends StandardSchemaV1<unknown, infer Output> ? Output : undefined;

export function validateBody<Output>(
  schema: StandardSchemaV1<unknown, Output>,
  text: string,
): Maybe<Output> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new VerificationError('BODY_INVALID', {
      debugDetail: 'The body is not valid JSON.',
      issues: [{ message: 'The body is not valid JSON.' }],
    });
  }
  return then(schema['~standard'].validate(value), (result) => {
    if (result.issues) {
      throw new VerificationError('BODY_INVALID', {
        debugDetail: result.issues.map((issue) => issue.message).join('; '),
        issues: result.issues,
      });
    }
    return result.value;
  });
}
