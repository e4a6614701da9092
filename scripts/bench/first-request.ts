// A TCP relay in front of the model server that notes when the first bytes of the first request
// arrive: the benchmark's start-up figure is that moment less the moment the client was spawned.
// Bytes pass through untouched, in both directions.
import net from 'node:net'

export interface FirstRequestRelay {
  url: string
  /** performance.now() of the first bytes any client sent, or null. */
  firstAt(): number | null
  /** Forget the first request, for the next measured run. */
  reset(): void
  close(): Promise<void>
}

export async function startFirstRequestRelay(target: string): Promise<FirstRequestRelay> {
  const { hostname, port } = new URL(target)
  let first: number | null = null
  const sockets = new Set<net.Socket>()
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(port), hostname)
    sockets.add(client).add(upstream)
    client.once('data', () => (first ??= performance.now()))
    client.pipe(upstream).pipe(client)
    const end = () => {
      client.destroy()
      upstream.destroy()
      sockets.delete(client)
      sockets.delete(upstream)
    }
    client.on('error', end).on('close', end)
    upstream.on('error', end).on('close', end)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address() as net.AddressInfo
  return {
    url: `http://127.0.0.1:${address.port}`,
    firstAt: () => first,
    reset: () => (first = null),
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      })
  }
}
