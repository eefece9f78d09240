// 杭州云帆's WeChat service group on a wechaty mock puppet, behind a whole hub: the example client files,
// 周敏 (manager) with her WeChat account, the room bound to HZ001, and what the hub's account said and where.
import path from "node:path";
import { PuppetMock, mock } from "wechaty-puppet-mock";
import { createWechatAdapter } from "../../adapters/wechat/index.ts";
import { createLogger } from "../../src/lib/logger.ts";
import { importPartners } from "../../src/partners/transfer.ts";
import { addStaff } from "../../src/staff/store.ts";
import { pacedDaytimeClock, startPlatformHub } from "./platform-hub.ts";

const EXAMPLE = path.resolve(import.meta.dirname, "../../examples/partners.csv");

/** `members`: the people in the room besides the hub and 周敏, by name. */
export async function startWechatRoom(members: string[]) {
  const mocker = new mock.Mocker();
  const puppet = new PuppetMock({ mocker });
  const said: { to: string; text: string }[] = [];
  const me = mocker.createContact({ name: "伙伴通" });
  puppet.on("message", async ({ messageId }) => {
    const m = await puppet.messagePayload(messageId);
    if (m.talkerId === me.id) said.push({ to: m.roomId ?? m.listenerId ?? "", text: m.text ?? "" });
  });
  const zhou = mocker.createContact({ name: "周敏" });
  const people = members.map((name) => mocker.createContact({ name }));
  const room = mocker.createRoom({ topic: "云帆 × 伙伴通 服务群", memberIdList: [me.id, zhou.id, ...people.map((p) => p.id)] });
  const hub = await startPlatformHub([createWechatAdapter({ puppet, logger: createLogger("silent"), drawQr: () => {} })], { paced: pacedDaytimeClock(), env: { HUB_WECHAT_PER_MINUTE: "60" } });
  await importPartners(hub.db, EXAMPLE);
  await addStaff(hub.db, "周敏", "MANAGER", [`wechat:${zhou.id}`]);
  const partner = await hub.db.partner.findUniqueOrThrow({ where: { code: "HZ001" } });
  await hub.db.chat.create({ data: { platform: "wechat", externalChatId: room.id, kind: "group", partnerId: partner.id } });
  hub.app.hub.forgetCaches();
  mocker.login(me);
  puppet.emit("ready", { data: "contacts loaded" });
  return { hub, me, zhou, people, room, said };
}
