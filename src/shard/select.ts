// Which cases a shard replays. A case belongs to a shard by a hash of its id alone, never by its
// place in the suite: adding, removing or moving a case leaves every other case where it was, so
// a shard's baseline stays comparable and a re-run shard replays what it replayed before.
import { createHash } from 'node:crypto'
import type { ShardOf } from '../options.js'

/** `2/4`, as the option is written and the report names a shard. */
export function shardName(shard: ShardOf): string {
  return `${shard.index}/${shard.count}`
}

/** The 1-based shard of `count` that the case `id` belongs to. */
export function shardOfCase(id: string, count: number): number {
  // 48 bits of sha256: uniform enough for any count up to 256, and exact in a JS number.
  const hash = createHash('sha256').update(id).digest().readUIntBE(0, 6)
  return (hash % count) + 1
}

/** The cases of `shard`, in the suite's order. */
export function casesOfShard<T extends { id: string }>(cases: readonly T[], shard: ShardOf): T[] {
  return cases.filter((c) => shardOfCase(c.id, shard.count) === shard.index)
}
