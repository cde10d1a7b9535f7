/** @module Debian's Chromium driven by playwright-core, for the browser tests; it never downloads a browser. */
import { type Browser, type BrowserContext, chromium } from 'playwright-core'

export const CHROMIUM_PATH = process.env.IDBRIDGE_CHROMIUM ?? '/usr/bin/chromium'

export interface HeadlessBrowser {
  /** A fresh profile each time: cookies of one test never leak into another. */
  newContext(options?: { ignoreHTTPSErrors?: boolean }): Promise<BrowserContext>
  close(): Promise<void>
}

/**
 * Without the background-networking flags Chromium keeps dialling Google on this closed network;
 * --no-sandbox because tests run as root in a container.
 */
export async function launchHeadlessBrowser(): Promise<HeadlessBrowser> {
  // playwright gives every launch its own throwaway profile.
  let browser: Browser
  try {
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    })
  } catch (error) {
    throw new Error(`cannot start ${CHROMIUM_PATH}; scripts/test.sh installs the chromium package`, { cause: error })
  }
  return {
    newContext: (options = {}) => browser.newContext({ ignoreHTTPSErrors: options.ignoreHTTPSErrors ?? true }),
    close: () => browser.close(),
  }
}
