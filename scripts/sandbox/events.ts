// Live updates for the page by server-sent events: every change in a persona's chat (new, edited and deleted
// messages on both sides, "typing…", a new command menu) goes to every open page as one JSON event.
import type { ServerResponse } from "node:http";
import type { CallEvent, EditEvent, Emulator, StoredMessage } from "../emulator/index.js";
import { messageView, type MessageView } from "./views.js";

export type SandboxEvent =
  | { type: "message"; chatId: number; message: MessageView }
  | { type: "delete"; chatId: number; id: number }
  | { type: "action"; chatId: number; action: string }
  | { type: "commands" };

const HEARTBEAT_MS = 15_000;

export class EventHub {
  private readonly clients = new Set<ServerResponse>();
  private readonly detach: () => void;
  private readonly heartbeat: NodeJS.Timeout;

  constructor(
    private readonly tg: Emulator,
    private readonly chatIds: ReadonlySet<number>,
  ) {
    const onMessage = (m: StoredMessage) => this.message(m);
    const onEdit = (e: EditEvent) => this.message(e.message);
    const onDelete = (m: StoredMessage) => this.emit({ type: "delete", chatId: m.chat.id, id: m.message_id });
    // A persona's own messages reach the bot as updates; the stored message is what the page shows.
    const onUpdate = (u: Record<string, unknown>) => {
      const sent = u["message"] as { chat?: { id?: number }; message_id?: number } | undefined;
      const chatId = sent?.chat?.id;
      if (chatId === undefined || sent?.message_id === undefined) return;
      const m = tg.state.chats.get(chatId)?.messages.get(sent.message_id);
      if (m) this.message(m);
    };
    const onCall = (c: CallEvent) => {
      if (!c.ok) return;
      if (c.method === "setMyCommands" || c.method === "deleteMyCommands") this.emit({ type: "commands" });
      if (c.method === "sendChatAction")
        this.emit({ type: "action", chatId: Number(c.params["chat_id"]), action: String(c.params["action"]) });
    };
    tg.on("message", onMessage).on("edit", onEdit).on("delete", onDelete).on("update", onUpdate).on("call", onCall);
    this.detach = () => {
      tg.off("message", onMessage)
        .off("edit", onEdit)
        .off("delete", onDelete)
        .off("update", onUpdate)
        .off("call", onCall);
    };
    // Comments keep idle connections (and proxies between) from timing out.
    this.heartbeat = setInterval(() => {
      for (const c of this.clients) c.write(": ping\n\n");
    }, HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  /** Holds the response open as an event stream until the page goes away. */
  subscribe(res: ServerResponse): void {
    res.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-store",
      connection: "keep-alive",
    });
    // Tells EventSource how soon to reconnect after the sandbox restarts; the page reloads its state on open.
    res.write("retry: 1000\n\n");
    this.clients.add(res);
    res.on("close", () => this.clients.delete(res));
  }

  close(): void {
    clearInterval(this.heartbeat);
    this.detach();
    for (const c of this.clients) c.end();
    this.clients.clear();
  }

  private message(m: StoredMessage): void {
    if (!m.deleted) this.emit({ type: "message", chatId: m.chat.id, message: messageView(m) });
  }

  private emit(e: SandboxEvent): void {
    if ("chatId" in e && !this.chatIds.has(e.chatId)) return;
    const frame = `data: ${JSON.stringify(e)}\n\n`;
    for (const c of this.clients) c.write(frame);
  }
}
