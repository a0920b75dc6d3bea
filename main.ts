import { createSSRApp } from 'vue'
import * as Pinia from 'pinia'
import { createChainToolbar } from './index'
import { installWeComSimulator } from './simulator/index'
import { demoOptions, simulatorWanted } from './pages/demo'
import App from './App.vue'

export function createApp() {
  // First, before the kit creates its host: where no WeCom client is around (an ordinary browser,
  // WeChat DevTools) the simulator plays one; inside WeCom it stays off and returns null.
  const simulator = simulatorWanted() ? installWeComSimulator({}, { persist: true }) : null
  const app = createSSRApp(App)
  app.use(Pinia.createPinia())
  app.use(createChainToolbar(demoOptions(simulator)))
  return { app, Pinia }
}
