// @ts-check
// Node's ESM entry (dist/node/index.mjs): the CommonJS build itself, so that `import` and `require`
// share one instance. Node reads the export names from the CommonJS build.
import sdk from './index.cjs'

export * from './index.cjs'
export default sdk.default
