/** @module The shape of idbridge's configuration, with every default in one place. */
import { z } from 'zod'

// 0 asks the OS for a free port, which tests use.
const port = z.coerce.number().int().min(0).max(65535)

export const configSchema = z
  .object({
    /** Where the embedded store, generated certificates, keys and logs live. Relative to the repo root. */
    dataDir: z.string().min(1).default('var'),
    http: z
      .object({
        // Loopback only unless an operator decides otherwise.
        host: z.string().min(1).default('127.0.0.1'),
        port: port.default(8443),
        /** The URL users reach, when a proxy sits in front. */
        publicUrl: z.url({ protocol: /^https?$/ }).optional(),
        maxBodyBytes: z.coerce
          .number()
          .int()
          .min(1024)
          .max(16 * 1024 * 1024)
          .default(1024 * 1024),
        tls: z
          .object({ certFile: z.string().min(1).optional(), keyFile: z.string().min(1).optional() })
          .strict()
          .refine((t) => Boolean(t.certFile) === Boolean(t.keyFile), 'set both certFile and keyFile, or neither')
          .default({}),
      })
      .strict()
      .default({ host: '127.0.0.1', port: 8443, maxBodyBytes: 1024 * 1024, tls: {} }),
    database: z
      .object({
        url: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
        /** A PostgreSQL schema of its own, so several tenant services (or test runs) can share one server. */
        schema: z
          .string()
          .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'a lowercase SQL identifier')
          .optional(),
      })
      .strict()
      .default({}),
    log: z
      .object({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info') })
      .strict()
      .default({ level: 'info' }),
    tenant: z
      .object({
        name: z
          .string()
          .regex(/^[a-z][a-z0-9-]{1,39}$/, 'lowercase letters, digits and dashes, 2–40 long')
          .default('contoso'),
        displayName: z.string().min(1).max(100).default('Contoso'),
        domain: z
          .string()
          .regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/, 'a DNS domain such as contoso.test')
          .default('contoso.test'),
      })
      .strict()
      .default({ name: 'contoso', displayName: 'Contoso', domain: 'contoso.test' }),
    signIn: z
      .object({
        lockoutThreshold: z.coerce.number().int().min(1).max(100).default(10),
        lockoutSeconds: z.coerce.number().int().min(1).max(86400).default(60),
        sessionMinutes: z.coerce.number().int().min(5).max(43200).default(480),
      })
      .strict()
      .default({ lockoutThreshold: 10, lockoutSeconds: 60, sessionMinutes: 480 }),
    sync: z
      .object({
        /** A sync run that would delete more users than this waits for `idbridge sync confirm-deletes`. */
        deleteThreshold: z.coerce.number().int().min(0).default(500),
      })
      .strict()
      .default({ deleteThreshold: 500 }),
    sspr: z
      .object({
        /** How long the result page waits for AD through the agent before it reports a timeout. */
        resultWaitSeconds: z.coerce.number().int().min(5).max(300).default(60),
        /** How long a reset flow lives from the first page. */
        flowMinutes: z.coerce.number().int().min(5).max(60).default(15),
        /** SMTP for one-time codes by email; absent in lab mode, where the embedded sink receives them. */
        smtp: z
          .object({
            host: z.string().min(1),
            port: z.number().int().min(1).max(65535).default(587),
            secure: z.boolean().default(false),
            from: z.string().min(3),
            user: z.string().min(1).optional(),
            /** A 0600 file with the SMTP password, so it is in neither the config nor the environment. */
            passwordFile: z.string().min(1).optional(),
          })
          .strict()
          .optional(),
        /** An HTTPS gateway that receives `{to, text}` for one-time codes by SMS. */
        smsWebhook: z
          .object({ url: z.url({ protocol: /^https?$/ }), tokenFile: z.string().min(1).optional() })
          .strict()
          .optional(),
        /** Lab mode: an embedded SMTP sink and SMS sink take the codes and show them at /lab/messages. */
        labSinks: z.boolean().default(false),
      })
      .strict()
      .default({ resultWaitSeconds: 60, flowMinutes: 15, labSinks: false }),
  })
  .strict()

export type IdbridgeConfig = z.infer<typeof configSchema>
