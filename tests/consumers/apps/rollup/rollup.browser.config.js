import { nodeResolve } from '@rollup/plugin-node-resolve'

// Told it targets browsers, node-resolve picks the two-half build, whose sandbox half is a second
// chunk: Rollup writes chunks to a folder.
export default {
  input: 'main.js',
  output: { dir: 'dist-browser', format: 'es' },
  plugins: [nodeResolve({ browser: true })],
}
