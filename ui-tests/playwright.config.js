/**
 * Galata configuration: system Chromium (Playwright cannot download browsers
 * here), no video (it needs a downloaded ffmpeg), server started by Playwright.
 */
const baseConfig = require('@jupyterlab/galata/lib/playwright-config');

// GREEN_ASSIST_UI_PORT lets two test runs share a machine (the server reads it too).
const port = process.env.GREEN_ASSIST_UI_PORT || '8898';

const chromiumArgs = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage'
];

module.exports = {
  ...baseConfig,
  retries: 1,
  workers: 1,
  timeout: 120000,
  reporter: [['list']],
  use: {
    ...baseConfig.use,
    baseURL: `http://localhost:${port}`,
    video: 'off',
    trace: 'off',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: chromiumArgs
    }
  },
  webServer: {
    command: 'jlpm start',
    url: `http://localhost:${port}/lab`,
    timeout: 180000,
    reuseExistingServer: false
  }
};
