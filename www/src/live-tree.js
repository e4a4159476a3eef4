// A live view of a sandbox folder: listed once, then kept current by the folder's watch events
// (`files.watchDir`, recursive), so that it changes as soon as anything in it does.

/** How deep the first listing goes (the most envd lists); deeper entries appear as they change. */
const LIST_DEPTH = 10
/** Entries drawn at most; the rest are counted. */
const MAX_SHOWN = 1000
/** Events arriving within this many milliseconds are drawn together. */
const DRAW_DELAY_MS = 30

/** The folder `root` of a sandbox, drawn as a tree into the list element `list`. */
export class LiveTree {
  #list
  #onChange
  /** Each entry's path relative to the root, and whether it is a `'dir'` or a `'file'`. */
  #entries = new Map()
  #watch = null
  #drawTimer = null
  #stopped = false
  #root = ''
  #files = null

  /** `onChange` is called after each batch of changes. */
  constructor(list, onChange = () => {}) {
    this.#list = list
    this.#onChange = onChange
  }

  /** Starts watching, then lists what is already there; changes during the listing are kept. */
  async start(files, root, onExit = () => {}) {
    this.#files = files
    this.#root = root.replace(/\/+$/, '') || '/'
    let early = []
    this.#watch = await files.watchDir(
      this.#root,
      (event) => (early ? early.push(event) : this.#apply([event])),
      { recursive: true, includeEntry: true, timeoutMs: 0, onExit: (err) => this.#stopped || onExit(err) },
    )
    const listed = await files.list(this.#root, { depth: LIST_DEPTH })
    for (const entry of listed) this.#put(this.#relative(entry.path), entry.type)
    const pending = early
    early = null
    this.#apply(pending)
    this.#draw()
  }

  /** Stops watching. */
  async stop() {
    this.#stopped = true
    clearTimeout(this.#drawTimer)
    await this.#watch?.stop().catch(() => {})
  }

  #relative(path) {
    return path.slice(this.#root.length).replace(/^\/+/, '')
  }

  /** Records an entry and the folders above it. */
  #put(path, type) {
    if (!path || path === '.') return
    const parts = path.split('/')
    for (let i = 1; i < parts.length; i++) this.#entries.set(parts.slice(0, i).join('/'), 'dir')
    this.#entries.set(path, type)
  }

  #delete(path) {
    this.#entries.delete(path)
    for (const key of this.#entries.keys()) if (key.startsWith(`${path}/`)) this.#entries.delete(key)
  }

  #apply(events) {
    if (!events.length || this.#stopped) return
    for (const { name, type, entry } of events) {
      if (name === '.' || name === '') {
        // The watched folder itself went away.
        if (type === 'remove' || type === 'rename') this.#entries.clear()
        continue
      }
      if (type === 'remove' || type === 'rename') this.#delete(name)
      else if (entry?.type) this.#put(name, entry.type)
      else if (!this.#entries.has(name)) this.#lookUp(name)
    }
    clearTimeout(this.#drawTimer)
    this.#drawTimer = setTimeout(() => this.#draw(), DRAW_DELAY_MS)
    this.#onChange()
  }

  /** Finds the type of an entry an event did not describe. */
  async #lookUp(name) {
    this.#put(name, 'file')
    const info = await this.#files.getInfo(`${this.#root === '/' ? '' : this.#root}/${name}`).catch(() => null)
    if (this.#stopped || !this.#entries.has(name)) return
    if (info) this.#put(name, info.type)
    else this.#delete(name)
    this.#draw()
  }

  #draw() {
    if (this.#stopped) return
    const children = new Map()
    for (const path of [...this.#entries.keys()].sort()) {
      const parent = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : ''
      if (!children.has(parent)) children.set(parent, [])
      children.get(parent).push(path)
    }
    let shown = 0
    const branch = (parent) => {
      const items = []
      for (const path of children.get(parent) ?? []) {
        if (shown >= MAX_SHOWN) break
        shown += 1
        const isDir = this.#entries.get(path) === 'dir'
        const li = document.createElement('li')
        li.setAttribute('role', 'treeitem')
        li.dataset.path = path
        const label = document.createElement('span')
        label.textContent = path.slice(path.lastIndexOf('/') + 1) + (isDir ? '/' : '')
        li.append(label)
        if (isDir) {
          li.setAttribute('aria-expanded', 'true')
          const sub = branch(path)
          if (sub.length) {
            const ul = document.createElement('ul')
            ul.setAttribute('role', 'group')
            ul.append(...sub)
            li.append(ul)
          }
        }
        items.push(li)
      }
      return items
    }
    const items = branch('')
    if (this.#entries.size > shown) {
      const more = document.createElement('li')
      more.textContent = `… and ${this.#entries.size - shown} more`
      items.push(more)
    }
    if (!this.#entries.size) {
      const empty = document.createElement('li')
      empty.textContent = '(empty)'
      items.push(empty)
    }
    this.#list.replaceChildren(...items)
  }
}
