import type { Plugin } from 'vite'
export function uniIfdef(platform: string): Plugin
