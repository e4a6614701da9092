// Which cases a shard replays: every case in exactly one shard, by a hash of its id, so a case
// stays in its shard when others are added or moved; and the `shard` option as users write it.
import { describe, expect, it } from '@jest/globals'
import { parseShard } from '../../src/options.js'
import { casesOfShard, shardName, shardOfCase } from '../../src/shard/select.js'

const ids = (n: number, prefix = 'case') => Array.from({ length: n }, (_, i) => ({ id: `${prefix}-${i}` }))

describe('shard selection', () => {
  it('puts every case in exactly one shard, for 1 to 8 shards', () => {
    const cases = [...ids(60), ...['update-user-status', 'a', 'b.c', 'x_y-z'].map((id) => ({ id }))]
    for (let count = 1; count <= 8; count++) {
      const shards = Array.from({ length: count }, (_, i) => casesOfShard(cases, { index: i + 1, count }).map((c) => c.id))
      const all = shards.flat()
      expect([count, all.length, new Set(all).size]).toEqual([count, cases.length, cases.length])
      expect([count, [...all].sort()]).toEqual([count, cases.map((c) => c.id).sort()])
      // Each shard keeps the suite's order.
      for (const shard of shards) expect(shard).toEqual(cases.map((c) => c.id).filter((id) => shard.includes(id)))
    }
  })

  it('keeps every case in its shard when a case is added or the suite reordered', () => {
    const before = ids(30)
    const after = [{ id: 'a-new-case' }, ...[...before].reverse()]
    for (let count = 2; count <= 8; count++) {
      for (let index = 1; index <= count; index++) {
        const was = casesOfShard(before, { index, count }).map((c) => c.id)
        const now = casesOfShard(after, { index, count }).map((c) => c.id)
        expect(now.filter((id) => id !== 'a-new-case').sort()).toEqual(was.sort())
      }
    }
  })

  it('spreads a large suite about evenly', () => {
    const sizes = Array.from({ length: 4 }, (_, i) => casesOfShard(ids(400), { index: i + 1, count: 4 }).length)
    for (const size of sizes) expect(Math.abs(size - 100)).toBeLessThan(30)
  })

  it('gives one answer for an id, whatever else is in the suite', () => {
    expect(shardOfCase('update-user-status', 1)).toBe(1)
    expect(shardOfCase('update-user-status', 4)).toBe(shardOfCase('update-user-status', 4))
    expect(shardName({ index: 2, count: 4 })).toBe('2/4')
  })
})

describe('the shard option', () => {
  it('reads K/N', () => {
    expect(parseShard('2/4', "input 'shard'")).toEqual({ index: 2, count: 4 })
    expect(parseShard(' 1 / 1 ', "input 'shard'")).toEqual({ index: 1, count: 1 })
    expect(parseShard('', "input 'shard'")).toBeUndefined()
  })

  it('names the option and says what it takes', () => {
    const expected = "expected K/N, the K-th of N shards (1 ≤ K ≤ N ≤ 256), e.g. 2/4."
    expect(() => parseShard('5/4', "input 'shard'")).toThrow(`Invalid input 'shard' '5/4': ${expected}`)
    expect(() => parseShard('0/4', '--shard')).toThrow(`Invalid --shard '0/4': ${expected}`)
    expect(() => parseShard('2', '--shard')).toThrow(`Invalid --shard '2': ${expected}`)
    expect(() => parseShard('1/300', '--shard')).toThrow(`Invalid --shard '1/300': ${expected}`)
  })
})
