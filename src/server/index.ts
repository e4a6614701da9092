import { connectToServer } from './connect.js'
import { startLlamaServer } from './llamacpp.js'
import type { ServerSession, SessionOptions } from './types.js'

export type { ServerSession, SessionOptions } from './types.js'

export async function startSession(options: SessionOptions): Promise<ServerSession> {
  switch (options.backend) {
    case 'connect':
      return connectToServer(options)
    case 'llama.cpp':
      return startLlamaServer(options)
    case 'lmstudio':
      throw new Error("server 'lmstudio' is not available yet; start LM Studio's server yourself and use server 'connect'")
  }
}
