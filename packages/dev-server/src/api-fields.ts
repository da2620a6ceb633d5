/**
 * Stored headers (`{"name": "value"}` JSON) in the shape QStash's API returns them:
 * `{"name": ["value"]}`.
 */
export function headerLists(json: string): Record<string, string[]> {
  const lists: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(JSON.parse(json) as Record<string, string>))
    lists[name] = [value];
  return lists;
}
