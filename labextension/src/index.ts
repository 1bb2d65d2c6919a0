/**
 * green_assist JupyterLab extension, as a few plugins with one job each (like
 * jupyter-resource-usage): the core (settings, the document in focus and its
 * kernel link, energy and findings), a right-hand sidebar, a status-bar item,
 * commands (auto-profiling, export, refactors) and energy footers under cells.
 * Each plugin but the core can be disabled on its own.
 */
import { JupyterFrontEndPlugin } from '@jupyterlab/application';

import { commandsPlugin } from './plugins/commands';
import { corePlugin } from './plugins/core';
import { footersPlugin } from './plugins/footers';
import { sidebarPlugin } from './plugins/sidebar';
import { statusBarPlugin } from './plugins/statusBar';

const plugins: JupyterFrontEndPlugin<unknown>[] = [
  corePlugin,
  sidebarPlugin,
  statusBarPlugin,
  commandsPlugin,
  footersPlugin
];

export default plugins;
