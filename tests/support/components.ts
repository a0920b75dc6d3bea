// Mounts a kit component the way an app's page test does: uni-chain-toolbar/testing (Pinia, the kit on the
// simulated WeCom client, the components), or the kit outside WeCom (no wx.qy at all); and loads the
// component's own styles into the document, treated as each build treats them, so computed styles can
// be asserted.
import { readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { compileStyle } from '@vue/compiler-sfc'
import { enableAutoUnmount, mount, type ComponentMountingOptions } from '@vue/test-utils'
import { createPinia } from 'pinia'
import { afterEach } from 'vitest'
import type { Component } from 'vue'
import { useChainToolbarI18n } from '../../composables/useChainToolbarI18n'
import { createChainToolbar, createMiniProgramHost, type ChainToolbarOptions } from '../../index'
import { createTestingChainToolbar, type SimulatorScenario, type TestingChainToolbar } from '../../testing/index'
import type { QyScript } from './scripted-qy'

enableAutoUnmount(afterEach)

const cleanups: (() => void)[] = []
afterEach(() => {
  while (cleanups.length) cleanups.pop()!()
})

export interface KitMountOptions<C> {
  /** How the simulated wx.qy answers; null: outside WeCom (no wx.qy at all). */
  qy?: QyScript | null
  /** Kit options besides the host (timeoutMs, resolveContact, locale, messages, …). */
  kit?: Omit<ChainToolbarOptions, 'host'>
  props?: ComponentMountingOptions<C>['props']
  slots?: ComponentMountingOptions<C>['slots']
}

/** A QyScript as the simulator's scenario (same defaults as the scripted wx.qy: entry normal, version unknown → 4.1.22). */
function scenarioOf(script: QyScript): Partial<SimulatorScenario> {
  if (script.missing?.length) throw new Error('mountWithKit: the simulated client has no `missing`; set an older `version`')
  return {
    entry: script.entry ?? 'normal',
    version: script.version ?? '4.1.22',
    contact: script.contact ?? { corpId: 'wwcorp', userId: 'zhangsan' },
    chatId: script.chatId ?? 'wrchat',
    sessionValid: script.sessionValid ?? true,
    fail: script.fail ?? {},
    hang: (script.hang ?? []) as SimulatorScenario['hang'],
    latencyMs: script.latencyMs ?? 0,
  }
}

/** The simulated client as the tests read it: calls, counts, and a scenario they can change in place. */
function simOf(kit: TestingChainToolbar) {
  const state = new Proxy({} as Partial<SimulatorScenario>, {
    get: (_, key) => kit.client.scenario[key as keyof SimulatorScenario],
    set: (_, key, value) => (kit.set({ [key]: value }), true),
  })
  return {
    qy: kit.client.qy,
    calls: kit.log,
    state,
    count: (api: string) => kit.log.filter((call) => call.api === api).length,
    order: () => kit.log.map((call) => call.api),
  }
}

export function mountWithKit<C extends Component>(component: C, options: KitMountOptions<C> = {}) {
  const kit = options.qy === null ? null : createTestingChainToolbar({ ...options.kit, scenario: scenarioOf(options.qy ?? {}) })
  const outside = () => createChainToolbar({ ...options.kit, host: createMiniProgramHost({ qy: null, app: null }) })
  const plugins = kit ? [kit] : [createPinia(), outside()]
  // A parent element in the document, so themes set on an ancestor reach the component.
  const container = document.createElement('div')
  document.body.appendChild(container)
  cleanups.push(() => container.remove())
  const wrapper = mount(component as any, {
    props: options.props as any,
    slots: options.slots as any,
    attachTo: container,
    global: { plugins },
  })
  const app = (wrapper.vm as any).$.appContext.app
  return {
    wrapper,
    /** The testing kit (null outside WeCom): flush(), openFromAnotherChat(), set(), log. */
    kit,
    sim: kit ? simOf(kit) : null,
    container,
    /** The i18n composable, used as an app would (inside the app's context). */
    i18n: () => app.runWithContext(() => useChainToolbarI18n()) as ReturnType<typeof useChainToolbarI18n>,
    /** Runs a composable inside the app's context. */
    use: <T>(composable: () => T): T => app.runWithContext(composable),
  }
}

/** Every element the component rendered (none when it renders nothing); `container` holds test-utils' mount point. */
export function elementsIn(container: Element) {
  return container.querySelectorAll('[data-v-app] *')
}

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const SCOPE = 'data-v-uct'

/** The component's `<style>` blocks with their `@import`s inlined (as the uni build does). */
export function componentCss(name: string): string {
  return sfcCss(resolve(root, 'components', name, `${name}.vue`))
}

/** An SFC's styles, and those of the kit's own SFCs it imports (the cards' shell), each file once. */
function sfcCss(file: string, seen = new Set<string>()): string {
  if (seen.has(file)) return ''
  seen.add(file)
  const sfc = readFileSync(file, 'utf8')
  const blocks = [...sfc.matchAll(/<style\b[^>]*>([\s\S]*?)<\/style>/g)].map((m) => m[1])
  const inline = (css: string, from: string): string =>
    css.replace(/@import\s+['"]([^'"]+)['"]\s*;/g, (_, path: string) => {
      const target = resolve(dirname(from), path)
      return inline(readFileSync(target, 'utf8'), target)
    })
  const children = [...sfc.matchAll(/^import \w+ from '(\.[^']+\.vue)'/gm)].map((m) => sfcCss(resolve(dirname(file), m[1]), seen))
  return [...blocks.map((css) => inline(css, file)), ...children].join('\n')
}

/**
 * Puts the component's styles into the document as the current platform's build does: H5 (uni adds
 * `scoped` to every component style: `[data-v-…]` on the last selector, and on the component's
 * elements) or mini program (shared styles, unscoped). Call after mounting, with the component's root.
 */
export function applyComponentCss(name: string, componentRoot: Element | null) {
  let css = componentCss(name)
  if (process.env.UNI_PLATFORM === 'h5') {
    const result = compileStyle({ source: css, filename: `${name}.vue`, id: SCOPE, scoped: true })
    if (result.errors.length) throw result.errors[0]
    css = result.code
    if (componentRoot) for (const el of [componentRoot, ...componentRoot.querySelectorAll('*')]) el.setAttribute(SCOPE, '')
  }
  const style = document.createElement('style')
  style.textContent = css
  document.head.appendChild(style)
  cleanups.push(() => style.remove())
  return css
}

/** Switches happy-dom's `prefers-color-scheme` for the rest of the test. */
export function prefersColorScheme(scheme: 'light' | 'dark') {
  const settings = (window as any).happyDOM.settings.device
  const before = settings.prefersColorScheme
  settings.prefersColorScheme = scheme
  cleanups.push(() => (settings.prefersColorScheme = before))
}

/**
 * getComputedStyle without happy-dom's cache, which misses some changes (a media setting, a class on a
 * grandparent): an attribute change on an element clears its cache, so touch it and every ancestor.
 */
export function freshStyle(element: Element) {
  for (let el: Element | null = element; el; el = el.parentElement) {
    el.setAttribute('data-restyle', '')
    el.removeAttribute('data-restyle')
  }
  return getComputedStyle(element)
}
