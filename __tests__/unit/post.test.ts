// The post step in-process, with @actions/core mocked: it asks the backend that started the run
// to clean up. Stand-ins for a leftover llama-server are real processes whose command is named
// llama-server (a link to sleep or node), since the post step checks /proc before it signals.
import { afterAll, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, symlink } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import * as core from '../support/core.js'

jest.unstable_mockModule('@actions/core', () => core)
const { runPost } = await import('../../src/post.js')

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'modelgate-post-'))
  await symlink('/bin/sleep', path.join(dir, 'llama-server'))
  await symlink(process.execPath, path.join(dir, 'stubborn-llama-server'))
})
beforeEach(() => core.resetCore())

const children: ChildProcess[] = []
afterAll(() => children.forEach((child) => child.kill('SIGKILL')))

async function leftover(command: string, args: string[]): Promise<ChildProcess> {
  const child = spawn(path.join(dir, command), args, { stdio: 'ignore' })
  children.push(child)
  await new Promise((resolve) => child.once('spawn', resolve))
  // Give a node stand-in the time to install its SIGTERM handler.
  await new Promise((resolve) => setTimeout(resolve, command.startsWith('stubborn') ? 300 : 20))
  return child
}

const exited = (child: ChildProcess) => new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)))

describe('the post step', () => {
  it('stops the llama-server the main step left running', async () => {
    const child = await leftover('llama-server', ['60'])
    Object.assign(core.state, { backend: 'llama.cpp', 'llama-server-pid': String(child.pid) })
    const gone = exited(child)
    await runPost()
    expect(await gone).toBe('SIGTERM')
    expect(core.info).toHaveBeenCalledWith(`Stopped llama-server (pid ${child.pid})`)
    expect(core.setFailed).not.toHaveBeenCalled()
  })

  it('kills a llama-server that ignores SIGTERM', async () => {
    const child = await leftover('stubborn-llama-server', ['-e', "process.on('SIGTERM', () => {}); setInterval(() => {}, 1000)"])
    Object.assign(core.state, { backend: 'llama.cpp', 'llama-server-pid': String(child.pid) })
    const gone = exited(child)
    await runPost()
    expect(await gone).toBe('SIGKILL')
    expect(core.info).toHaveBeenCalledWith(`Killed llama-server (pid ${child.pid}) after it ignored SIGTERM`)
  }, 15_000)

  it('leaves alone a pid that is no longer llama-server, and a stopped server', async () => {
    Object.assign(core.state, { backend: 'llama.cpp', 'llama-server-pid': String(process.pid) })
    await runPost()
    core.state['llama-server-pid'] = ''
    await runPost()
    expect(core.info).not.toHaveBeenCalled()
    expect(core.warning).not.toHaveBeenCalled()
  })

  it('has nothing to do for connect, or when the main step never started a backend', async () => {
    const child = await leftover('llama-server', ['60'])
    Object.assign(core.state, { backend: 'connect', 'llama-server-pid': String(child.pid) })
    await runPost()
    delete core.state.backend
    await runPost()
    expect(child.exitCode).toBeNull()
    expect(child.signalCode).toBeNull()
    expect(core.info).not.toHaveBeenCalled()
  })
})
