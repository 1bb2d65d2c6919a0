/**
 * Galata configuration: system Chromium (Playwright cannot download browsers
 * here), no video (it needs a downloaded ffmpeg), server started by Playwright.
 */
const baseConfig = require('@jupyterlab/galata/lib/playwright-config');

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
    baseURL: 'http://localhost:8898',
    video: 'off',
    trace: 'off',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: chromiumArgs
    }
  },
  webServer: {
    command: 'jlpm start',
    url: 'http://localhost:8898/lab',
    timeout: 180000,
    reuseExistingServer: false
  }
};
