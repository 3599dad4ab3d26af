/** Whether `id` has a UUID's shape: an id that does not is NOT_FOUND before any query (PostgreSQL would refuse the cast). */
export function isUuid(id: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
}
