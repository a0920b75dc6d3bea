import { createSSRApp } from 'vue'
import * as Pinia from 'pinia'
import { createChainToolbar } from './index'
import { installWeComSimulator } from './simulator/index'
import { DEMO_MEDIA_IDS, demoOptions, simulatorWanted } from './pages/demo'
import App from './App.vue'

export function createApp() {
  // First, before the kit creates its host: where no WeCom client is around (an ordinary browser,
  // WeChat DevTools) the simulator plays one; inside WeCom it stays off and returns null. WeCom takes only
  // media ids it issued: the share form's, and those the simulator's upload issues.
  const scenario = { mediaIds: Object.values(DEMO_MEDIA_IDS) }
  const simulator = simulatorWanted() ? installWeComSimulator(scenario, { persist: true }) : null
  const app = createSSRApp(App)
  app.use(Pinia.createPinia())
  app.use(createChainToolbar(demoOptions(simulator)))
  return { app, Pinia }
}
