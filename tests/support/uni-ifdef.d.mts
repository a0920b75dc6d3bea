import type { Plugin } from 'vite'
export function preprocessTemplate(platform: string, code: string, file: string): string
export function uniIfdef(platform: string): Plugin
