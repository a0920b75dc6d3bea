/**
 * The props every component with an element takes (wot-design-uni's `baseProps`): a class and a style
 * for its root, which reach it in the mini program too, where the component is a virtual host and a
 * `class` / `style` on its tag would need `mergeVirtualHostAttributes`.
 */
export const baseProps = {
  /** Classes for the component's root element. */
  customClass: { type: String, default: '' },
  /** Inline style for the component's root element. */
  customStyle: { type: String, default: '' },
} as const
