// The suite file's public API. Backend names and server settings live with the server code; they
// are re-exported here because callers written before the split still import them from the suite.
export { displayPathOf, loadSuite, parseSuite, type LoadOptions, type Suite, type SuiteCase } from './load.js'
export { SuiteError } from './diagnostics.js'
export type { ChatMessage } from './schema.js'
export { BACKENDS, type Backend } from '../server/registry.js'
export type { ServerSettings } from '../server/settings.js'
