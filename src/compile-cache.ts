// Node 22.1+ can keep the code it compiled from the bundle on disk between runs (in
// NODE_COMPILE_CACHE, else the temporary folder), so a runner or a terminal that runs modelgate
// again starts it faster (BENCHMARKS.md, start-up). The entry points turn it on before they load
// the rest of the bundle; on an older Node, or a folder that cannot be written, nothing changes.
import module from 'node:module'

export function keepCompiledCode(): void {
  ;(module as { enableCompileCache?: () => unknown }).enableCompileCache?.()
}
