import { startOptionsFromEnvironment, stopOnSignals } from './fromEnvironment.ts'
import { startLocalAws } from './index.ts'

// `npm run local-aws`: local AWS on its own, for scripts and for running the app against a fixed port.
try {
  const localAws = await startLocalAws(
    startOptionsFromEnvironment({
      port: Number(process.env.LOCAL_AWS_PORT ?? 4566),
      sitePort: Number(process.env.LOCAL_AWS_SITE_PORT ?? 4567),
    }),
  )
  console.log(`Local AWS is listening at ${localAws.url}`)
  console.log(`Site (the site bucket behind the local CloudFront; \`npm run deploy -- --local\` fills it): ${localAws.siteUrl}`)
  console.log(`Mailbox (verification codes): ${localAws.url}/_local/`)
  console.log(`Data folder: ${localAws.context.dataDir}`)
  console.log('Config:', JSON.stringify(localAws.config, null, 2))
  stopOnSignals(localAws)
} catch (error) {
  // A port in use, an unreadable folder or a template local AWS cannot honour: one line, no stack trace.
  console.error(`local-aws: ${error instanceof Error ? error.message : String(error)}`)
  process.exit(1)
}
