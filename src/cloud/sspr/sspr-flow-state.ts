/** @module The state of one reset flow, kept in the store so any tenant node can serve the next step. */
import { z } from 'zod'

export const verificationMethods = ['email', 'sms', 'app', 'questions'] as const
export type VerificationMethod = (typeof verificationMethods)[number]

const codeRecord = z.object({ digest: z.string(), salt: z.string(), expiresAt: z.number() }).strict()

export const ssprFlowStateSchema = z
  .object({
    step: z.enum(['identify', 'gates', 'action', 'password', 'done']),
    /** The captcha on the page the browser has now; cleared once it is checked, so it works once. */
    captchaDigest: z.string().nullable(),
    /** The user ID as typed, lower-cased: the throttle key, so unknown IDs are throttled alike. */
    subjectKey: z.string().nullable(),
    userPrincipalName: z.string().nullable(),
    /**
     * The real user, when the ID is known and eligible. Unknown and ineligible IDs walk the same
     * pages as a decoy and can never pass a gate; the reason is in the audit log for the admin.
     */
    userId: z.string().nullable(),
    decoyReason: z.string().nullable(),
    gatesRequired: z.union([z.literal(1), z.literal(2)]),
    methods: z.array(z.enum(verificationMethods)),
    passed: z.array(z.enum(verificationMethods)),
    pending: z
      .object({
        method: z.enum(verificationMethods),
        code: codeRecord.nullable(),
        questionIds: z.array(z.string()),
      })
      .strict()
      .nullable(),
    action: z.enum(['reset', 'unlock']).nullable(),
  })
  .strict()

export type SsprFlowState = z.infer<typeof ssprFlowStateSchema>

export const initialFlowState = (captchaDigest: string): SsprFlowState => ({
  step: 'identify',
  captchaDigest,
  subjectKey: null,
  userPrincipalName: null,
  userId: null,
  decoyReason: null,
  gatesRequired: 1,
  methods: [],
  passed: [],
  pending: null,
  action: null,
})
