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
  })
  .strict()

export type IdbridgeConfig = z.infer<typeof configSchema>
