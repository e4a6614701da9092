// What llama-server's own log says of a run, for tests that check how modelgate used it.

/** The most tasks llama-server was processing at once, by the launch and release lines of its log. */
export function mostInFlight(log: string): number {
  let now = 0
  let most = 0
  for (const line of log.split('\n')) {
    if (/launch_slot_: .*processing task/.test(line)) most = Math.max(most, ++now)
    else if (/release: .*stop processing/.test(line)) now--
  }
  return most
}
