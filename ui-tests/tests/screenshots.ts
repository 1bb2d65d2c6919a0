import * as path from 'path';

/**
 * Where the browser tests save their screenshots: the README's images in docs/images
 * when GREEN_ASSIST_UPDATE_SCREENSHOTS=1 (`make screenshots`), otherwise beside the
 * other test output, so a plain test run leaves the working tree as it was.
 */
const SCREENSHOTS = process.env.GREEN_ASSIST_UPDATE_SCREENSHOTS
  ? path.resolve(__dirname, '../../docs/images')
  : path.resolve(__dirname, '../test-results/screenshots');

export function screenshotPath(name: string): string {
  return path.join(SCREENSHOTS, name);
}
