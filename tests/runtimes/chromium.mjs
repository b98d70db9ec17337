// Debian's chromium (never a browser playwright downloads), driven by playwright-core, in a
// fresh profile: the flags keep it off the network this machine does not have.
import { chromium } from 'playwright-core';

export function launchChromium(profile) {
  return chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    timeout: 60_000,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-quic'],
  });
}
