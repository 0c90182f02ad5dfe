import './assets/main.css'
import { createApp } from 'vue'
import { createPinia } from 'pinia'
import { createWebHistory } from 'vue-router'
import App from './App.vue'
import { AwsConfigError, getAwsConfig } from './lib/aws/config'
import { createAppRouter } from './router'

/** Checks the AWS settings first: a missing `VITE_*` value is explained on the page, not only in the console. */
function start(): void {
  try {
    getAwsConfig()
  } catch (error) {
    if (!(error instanceof AwsConfigError)) throw error
    console.error(error.message)
    // Loaded only when needed: a configured app's first load does not carry it.
    void import('./components/ConfigErrorNotice.vue').then(({ default: ConfigErrorNotice }) =>
      createApp(ConfigErrorNotice, { message: error.message }).mount('#app'),
    )
    return
  }
  const app = createApp(App)
  app.use(createPinia())
  app.use(createAppRouter(createWebHistory(import.meta.env.BASE_URL)))
  app.mount('#app')
}

start()
