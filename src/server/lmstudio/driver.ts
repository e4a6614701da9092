// `server: lmstudio`: starting LM Studio with the suite's load settings is its own issue; until
// then the backend says how to reach a running LM Studio instead.
import type { BackendDriver } from './types.js'

export const lmStudioDriver: BackendDriver<Record<string, never>> = {
  options: [],
  readOptions: () => ({}),
  start: () => Promise.reject(new Error("server 'lmstudio' is not available yet; start LM Studio's server yourself and use server 'connect'"))
}
