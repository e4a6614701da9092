import { connectToServer } from './connect.js'
import type { ServerSession, SessionOptions } from './types.js'

export type { ServerSession, SessionOptions } from './types.js'

export async function startSession(options: SessionOptions): Promise<ServerSession> {
  switch (options.backend) {
    case 'connect':
      return connectToServer(options)
    case 'llama.cpp':
      throw new Error("server 'llama.cpp' is not available yet; start llama-server yourself and use server 'connect'")
    case 'lmstudio':
      throw new Error("server 'lmstudio' is not available yet; start LM Studio's server yourself and use server 'connect'")
  }
}
