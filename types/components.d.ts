// Template types for the kit's easycom components: with this file in the program (tsconfig `include`,
// or `/// <reference types="uni-chain-toolbar/types/components" />`), Volar / vue-tsc check the props,
// events and slots of `<chain-contact-card>` & co. in templates, as they do for imported components.
type ChainContactCard = typeof import('../components/chain-contact-card/chain-contact-card.vue')['default']
type ChainGroupCard = typeof import('../components/chain-group-card/chain-group-card.vue')['default']
type ShareToChatButton = typeof import('../components/share-to-chat-button/share-to-chat-button.vue')['default']
type ChainEntryGate = typeof import('../components/chain-entry-gate/chain-entry-gate.vue')['default']

declare module 'vue' {
  interface GlobalComponents {
    'chain-contact-card': ChainContactCard
    ChainContactCard: ChainContactCard
    'chain-group-card': ChainGroupCard
    ChainGroupCard: ChainGroupCard
    'share-to-chat-button': ShareToChatButton
    ShareToChatButton: ShareToChatButton
    'chain-entry-gate': ChainEntryGate
    ChainEntryGate: ChainEntryGate
  }
}

export {}
