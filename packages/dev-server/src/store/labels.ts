// Labels: `Upstash-Label: a,b` (the SDK joins `label: string[]` with commas) is a list, stored
// as its canonical comma-joined form and returned as the SDK's types say: `labels`, and the
// deprecated `label` holding the first one.

/** The labels of an `Upstash-Label` header: trimmed, empty ones dropped, each once. */
export function parseLabels(header: string | undefined): string[] {
  if (header === undefined) return [];
  return [...new Set(header.split(',').map((label) => label.trim()))].filter(Boolean);
}

/** What is stored: `a,b`, or null for none. */
export function storedLabels(labels: readonly string[]): string | null {
  return labels.length > 0 ? labels.join(',') : null;
}

/** The API's fields for a stored label list. */
export function labelFields(stored: string | null | undefined): {
  label?: string;
  labels?: string[];
} {
  const labels = parseLabels(stored ?? undefined);
  const [first] = labels;
  return first === undefined ? {} : { label: first, labels };
}
