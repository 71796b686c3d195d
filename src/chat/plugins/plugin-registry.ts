import { Injectable, Logger } from '@nestjs/common';
import { logEvent } from '../../common/log-event';
import { ACCOUNT_PLUGIN } from './account.plugin';
import { ChatPlugin } from './chat-plugin';
import { DEFAULT_PLUGIN } from './default.plugin';
import { DTE_PLUGIN } from './dte.plugin';
import { PAYROLL_PLUGIN } from './payroll.plugin';
import { PluginSelection, selectPlugin } from './plugin-scoring';
import { STOCK_PLUGIN } from './stock.plugin';

/** Order matters only for keyword ties: the DTE plugin, this service's main purpose, wins them. */
export const SPECIALIZED_PLUGINS: readonly ChatPlugin[] = [DTE_PLUGIN, PAYROLL_PLUGIN, ACCOUNT_PLUGIN, STOCK_PLUGIN];

@Injectable()
export class PluginRegistry {
  private readonly logger = new Logger('PluginRegistry');
  private readonly plugins = SPECIALIZED_PLUGINS;
  private readonly fallback = DEFAULT_PLUGIN;

  list(): readonly ChatPlugin[] {
    return [...this.plugins, this.fallback];
  }

  /**
   * Picks the plugin for one message and logs why at debug (session id only, never the text); the
   * turn's chat_message_completed line carries the plugin and the reason at info.
   */
  select(message: string, moduleHint: string | undefined, sessionId: string): PluginSelection {
    const selection = selectPlugin(message, moduleHint, this.plugins, this.fallback);
    if (selection.reason === 'default') {
      logEvent(
        this.logger,
        'plugin_fallback_to_default',
        { session_id: sessionId, module_hint: moduleHint ?? null },
        'debug',
      );
    } else {
      logEvent(
        this.logger,
        'plugin_selected',
        {
          session_id: sessionId,
          plugin: selection.plugin.name,
          module: selection.plugin.name,
          reason: selection.reason,
          score: selection.score,
        },
        'debug',
      );
    }
    return selection;
  }
}
