// Kept equal to package.json's version by a unit test; reading package.json at run time would
// make the bundler ship a copy of it in dist/.
export const MODELGATE_VERSION = '0.1.0'
