/** @module The page shell: server-rendered, accessible, and usable without JavaScript. */
import { raw } from 'hono/html'
import type { Child } from 'hono/jsx'

export function Layout(props: { title: string; children: Child; tenantName?: string }) {
  return (
    <>
      {raw('<!DOCTYPE html>')}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{`${props.title} – idbridge`}</title>
          <link rel="stylesheet" href="/assets/site.css" />
        </head>
        <body>
          <header>
            <p class="brand">{props.tenantName ?? 'idbridge'}</p>
          </header>
          <main id="main">{props.children}</main>
        </body>
      </html>
    </>
  )
}
