/** @module The tenant service's config as the doctor shows it: every field copied by name, secrets never. */
import type { LoadedConfig } from '../../config/load-config.ts'

/** Scheme, host and port only: user info, path, query and fragment of a URL can all carry tokens. */
export function urlOrigin(url: string | undefined): string | null {
  if (url === undefined) return null
  try {
    const u = new URL(url)
    return `${u.protocol}//${u.host}`
  } catch {
    return '(unparseable URL)'
  }
}

/** Where the store lives, without the user name or password of DATABASE_URL. */
function databaseView(loaded: LoadedConfig) {
  const { url, schema } = loaded.config.database
  if (!url) return { backend: 'sqlite' as const, file: `${loaded.dataDir}/idbridge.db` }
  try {
    const u = new URL(url)
    return {
      backend: 'postgres' as const,
      host: u.hostname,
      port: u.port || '5432',
      database: decodeURIComponent(u.pathname.replace(/^\//, '')) || null,
      schema: schema ?? null,
      credentialsInUrl: u.username !== '' || u.password !== '',
    }
  } catch {
    return { backend: 'postgres' as const, host: '(unparseable DATABASE_URL)', schema: schema ?? null }
  }
}

/**
 * An allow-list copy of the config: a key added to the schema later stays out of the bundle until
 * someone adds it here on purpose. Files that hold secrets appear as paths; their contents never.
 */
export function redactedConfig(loaded: LoadedConfig) {
  const { config } = loaded
  const { smtp, smsWebhook } = config.sspr
  return {
    source: loaded.source ?? null,
    dataDir: loaded.dataDir,
    http: {
      host: config.http.host,
      port: config.http.port,
      publicUrl: urlOrigin(config.http.publicUrl),
      maxBodyBytes: config.http.maxBodyBytes,
      tls: { certFile: config.http.tls.certFile ?? null, keyFile: config.http.tls.keyFile ?? null },
    },
    database: databaseView(loaded),
    log: { level: config.log.level },
    tenant: { name: config.tenant.name, displayName: config.tenant.displayName, domain: config.tenant.domain },
    signIn: { ...config.signIn },
    sync: { deleteThreshold: config.sync.deleteThreshold },
    sspr: {
      resultWaitSeconds: config.sspr.resultWaitSeconds,
      flowMinutes: config.sspr.flowMinutes,
      labSinks: config.sspr.labSinks,
      smtp: smtp
        ? {
            host: smtp.host,
            port: smtp.port,
            secure: smtp.secure,
            from: smtp.from,
            authenticates: smtp.user !== undefined,
            passwordFile: smtp.passwordFile ?? null,
          }
        : null,
      smsWebhook: smsWebhook ? { origin: urlOrigin(smsWebhook.url), tokenFile: smsWebhook.tokenFile ?? null } : null,
    },
  }
}
