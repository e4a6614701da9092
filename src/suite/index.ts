// The suite file's public API. Backend names and server settings live with the server code.
export { displayPathOf, loadSuite, parseSuite, type LoadOptions, type Suite, type SuiteCase } from './load.js'
export { SuiteError } from './diagnostics.js'
export type { ChatMessage } from './schema.js'
