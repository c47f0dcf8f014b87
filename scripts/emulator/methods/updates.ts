// getUpdates and webhook management.
import type { Handler } from "./context.js";

export const updateMethods: Record<string, Handler> = {
  getUpdates: (c) => {
    const offset = c.p.int("offset");
    const limit = c.p.int("limit");
    const timeout = c.p.int("timeout");
    return c.queue.getUpdates(
      {
        ...(offset !== undefined ? { offset } : {}),
        ...(limit !== undefined ? { limit } : {}),
        ...(timeout !== undefined ? { timeout } : {}),
        allowed_updates: c.p.json("allowed_updates"),
      },
      c.signal,
    );
  },

  setWebhook: (c) => {
    const url = c.p.string("url") ?? "";
    const drop = c.p.bool("drop_pending_updates") ?? false;
    if (url === "") {
      // Telegram treats an empty URL as "remove the webhook".
      c.queue.deleteWebhook(drop);
      return true;
    }
    const allowed = c.p.json("allowed_updates");
    const secret = c.p.string("secret_token");
    c.queue.setWebhook(
      {
        url,
        max_connections: c.p.int("max_connections") ?? 40,
        ...(secret !== undefined ? { secret_token: secret } : {}),
        ...(Array.isArray(allowed) ? { allowed_updates: allowed.map(String) } : {}),
      },
      drop,
    );
    return true;
  },

  deleteWebhook: (c) => {
    c.queue.deleteWebhook(c.p.bool("drop_pending_updates") ?? false);
    return true;
  },

  getWebhookInfo: (c) => {
    const hook = c.queue.webhook;
    const status = c.queue.webhookStatus;
    return {
      url: hook?.url ?? "",
      has_custom_certificate: false,
      pending_update_count: c.queue.pendingCount,
      ...(hook
        ? {
            ip_address: "127.0.0.1",
            max_connections: hook.max_connections,
            ...(hook.allowed_updates ? { allowed_updates: hook.allowed_updates } : {}),
            ...(status.lastErrorDate !== undefined
              ? { last_error_date: status.lastErrorDate, last_error_message: status.lastErrorMessage }
              : {}),
          }
        : {}),
    };
  },
};
