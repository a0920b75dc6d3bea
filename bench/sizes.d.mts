// Types of bench/sizes.mjs (imported by tests/integration/budgets.test.ts).
export interface Bytes {
  min: number
  gzip: number
}
export interface KitSizes {
  initial: Bytes
  initialHasSdk: boolean
  lazy: Bytes
  lazyHasSdk: boolean
  /** The project files in the initial chunks (absolute paths). */
  files: string[]
  /** The project files only lazy chunks hold (relative to the root). */
  lazyFiles: string[]
}
export interface PartSizes {
  js: Bytes
  css: Bytes
  total: Bytes
}
export interface ComponentSizes extends PartSizes {
  hasSdk: boolean
  /** Without what every kit component shares (componentsShared): its script, template, style and texts. */
  own?: PartSizes
  /** What it adds next to all the other components. */
  marginal?: Bytes
}
export interface Sizes {
  mp: { surface: Omit<KitSizes, 'files' | 'lazyFiles'>; app: KitSizes }
  h5: { surface: Omit<KitSizes, 'files' | 'lazyFiles'>; app: KitSizes }
  components: Record<string, ComponentSizes>
  componentsTogether: ComponentSizes | null
  /** What every kit component with a UI carries (theme, i18n runtime, error texts), paid once per page. */
  componentsShared: PartSizes
  sdk: { subset: Bytes; whole: Bytes }
}
export const root: string
export const SDK_MARKERS: string[]
export const SDK_SUBSET: string[]
export function hasSdk(code: string): boolean
export function bytes(code: string): Bytes
export function componentNames(): string[]
export function measureSizes(): Promise<Sizes>
/** One production build of `source` (an ES module): its chunks and CSS. */
export function build(
  source: string,
  options?: {
    platform?: string
    external?: (id: string, importer: string | undefined, isResolved: boolean) => boolean
    vue?: boolean
    plugins?: unknown[]
  },
): Promise<{ chunks: { name: string; isEntry: boolean; code: string; imports: string[] }[]; css: string }>
export const BUDGETS: { mpKitGzip: number; componentGzip: number; componentsSharedGzip: number }
export const GOALS: { mpKitGzip: number; componentGzip: number }
