/** @module Lab mode only: the page listing caught emails and SMS, and the SMS webhook that feeds it. */
import { Hono } from 'hono'
import { z } from 'zod'
import type { MessageSink, SinkMessage } from '../../lab/message-sink.ts'
import { Layout } from './pages/layout.tsx'
import { readJson } from './read-json.ts'

const smsBody = z.object({
  to: z.string().min(1).max(32),
  // 10 concatenated SMS segments: more than any reset text needs.
  text: z.string().min(1).max(1600),
})

function LabMessagesPage(props: { messages: readonly SinkMessage[] }) {
  return (
    <Layout title="Lab messages">
      <h1>Lab messages</h1>
      <p>
        Lab mode: emails and text messages are caught here instead of being delivered. Newest first; the last 200
        are kept. Reload the page to see new ones.
      </p>
      {props.messages.length === 0 ? (
        <p>No messages yet.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Channel</th>
              <th scope="col">To</th>
              <th scope="col">Subject</th>
              <th scope="col">Text</th>
              <th scope="col">Time</th>
            </tr>
          </thead>
          <tbody>
            {props.messages.map((m) => {
              const iso = new Date(m.receivedAt).toISOString()
              return (
                <tr>
                  <td>{m.channel === 'email' ? 'Email' : 'SMS'}</td>
                  <td>{m.to}</td>
                  <td>{m.subject ?? ''}</td>
                  <td>
                    <pre>{m.text}</pre>
                  </td>
                  <td>
                    <time datetime={iso}>{iso.replace('T', ' ').slice(0, 19)}</time>
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      )}
    </Layout>
  )
}

/**
 * Mount only in lab mode: the page shows reset codes to anyone who can reach it, by design.
 * POST /sms is where the lab points WebhookSmsSender.
 */
export function labRoutes(sink: Pick<MessageSink, 'messages' | 'recordSms'>): Hono {
  const app = new Hono()
  app.get('/messages', (c) => {
    c.header('cache-control', 'no-store')
    return c.html(<LabMessagesPage messages={sink.messages().reverse()} />)
  })
  app.post('/sms', async (c) => {
    const body = await readJson(c, smsBody)
    sink.recordSms(body.to, body.text)
    return c.body(null, 204)
  })
  return app
}
