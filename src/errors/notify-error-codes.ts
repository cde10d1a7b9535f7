/** @module Error codes of the outbound notification channels (email and SMS) used by password reset. */
import type { ErrorDefinition } from './error-definition.ts'

export const notifyErrorCodes = {
  IDB_ERR_MAIL_FAILED: {
    status: 502,
    message: 'We could not send the email. Try again later or choose another verification method.',
    cause: 'The SMTP server refused the connection, the login or the message, or did not answer in time.',
    fix: 'Check notify.smtp host, port, TLS mode and credentials; the detail has the SMTP error code and reply.',
  },
  IDB_ERR_SMS_FAILED: {
    status: 502,
    message: 'We could not send the text message. Try again later or choose another verification method.',
    cause:
      'The SMS gateway webhook answered with a non-2xx status, timed out after 10 s or was unreachable, ' +
      'or the phone number is not in international format.',
    fix:
      'Check the webhook URL and bearer token and that the gateway accepts POST {"to","text"} as JSON; ' +
      'phone numbers need a + and the country code.',
  },
} as const satisfies Record<string, ErrorDefinition>
