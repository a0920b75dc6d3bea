// @vue/vue3-jest with TypeScript registered in @vue/compiler-sfc, which needs it to resolve the types a
// component imports (`defineEmits<ShareToChatButtonEmits>()`); vue3-jest does not register it itself.
require('@vue/compiler-sfc').registerTS(() => require('typescript'))
module.exports = require('@vue/vue3-jest')
