// uni tags that are neither HTML nor SVG names (view, text and image are SVG names and render as such):
// plain @vitejs/plugin-vue must treat them as custom elements. Used by the unit tests' and the bench's configs.
export const UNI_TAGS = new Set([
  'scroll-view',
  'navigator',
  'block',
  'swiper',
  'swiper-item',
  'rich-text',
  'movable-area',
  'movable-view',
  'cover-view',
  'cover-image',
  'picker',
  'picker-view',
  'picker-view-column',
  'radio-group',
  'checkbox-group',
  'web-view',
  'page-meta',
])
