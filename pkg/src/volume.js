// @ts-check
// What the entries add to the generated `Volume` class: its name, its statics, `create` and
// `connect` for subclasses, folder transfers, stack traces and what it shows (see classes.js).
import { nameAll, exposeStatics, subclassable, traceable, showable, volumeFields } from './classes.js'
import { installTransfers } from './transfer/volume.js'

/**
 * Sets up the generated `Volume`, once, right after its wasm is instantiated.
 * @param {Function & Record<string, any>} Volume
 */
export function setUpVolume(Volume) {
  nameAll({ Volume })
  exposeStatics(Volume)
  subclassable(Volume, ['create', 'connect'], (/** @type {any} */ made, cls) => {
    /** @type {any} */
    const own = new cls(made.volumeId, made.name, made.token, made.domain, made.debug, made.proxy)
    own.__adopt(made)
    return own
  })
  installTransfers(Volume)
  traceable(Volume)
  showable(Volume, volumeFields)
}
