import { keepCompiledCode } from './compile-cache.js'

keepCompiledCode()
// Loaded after the compile cache is on, so the bundle's code is what it keeps.
const { run } = await import('./main.js')
void run()
