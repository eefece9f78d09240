// A message over HUB_MAX_MESSAGE_CHARS: its beginning is kept (src/hub/facts.ts), and the sender is told.
import type { Handler } from "./types.ts";

export const answerTooLong: Handler<"too_long"> = async ({ facts }, { maxMessageChars: max }) => [
  { type: "text", text: `消息太长了（${facts.full.length} 字，上限 ${max} 字），我只记录了前 ${max} 字。请分几条发送。` },
];
