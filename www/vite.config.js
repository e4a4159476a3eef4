// Builds the explorer; `e2b-wasm` resolves to this repository's package in ../pkg.
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  resolve: { alias: { 'e2b-wasm': fileURLToPath(new URL('../pkg', import.meta.url)) } },
  server: { host: '127.0.0.1', port: 5173, strictPort: false },
  preview: { host: '127.0.0.1' },
  build: { outDir: 'dist', emptyOutDir: true },
})
