// Runs once when the server starts: make sure the hourly schedule exists (created, or updated in
// place: the schedule id is fixed, so restarts never pile up schedules).
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { startup } = await import('./lib/startup.ts');
  startup();
}
