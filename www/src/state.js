// What the explorer has open: the volume, the folder shown, a running transfer (its AbortController).
export const state = { volume: null, path: '/', transfer: null }
