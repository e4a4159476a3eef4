// What the explorer has open: the volume, the folder shown, a running upload.
export const state = { volume: null, path: '/', upload: null }
