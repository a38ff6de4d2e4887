import type { Side, StoredRecord } from "../side.js";
import { createBaselineBot } from "./baseline-bot.js";

const byData = (data: string) => (b: { callback_data?: string }) => b.callback_data === data;

/** The plain-telegraf baseline as a benchmark side. */
export const baselineSide: Side = {
  name: "baseline",
  choices: {
    menuEnterprise: byData("menu:enterprise"),
    consentYes: byData("consent:yes"),
    sector: byData("sector:services_tourism"),
    size: byData("size:small"),
    interest: byData("interest:training"),
    interestsDone: byData("interest:done"),
    confirmYes: byData("confirm:yes"),
  },
  async start(options) {
    const { bot, connection, close } = await createBaselineBot(options);
    // What bot.launch() would do before handling updates: learn the bot's username.
    bot.botInfo = await bot.telegram.getMe();
    return {
      handleUpdate: (update) => bot.handleUpdate(update as never),
      async records(userIds) {
        const docs = await connection.collection("baseline_enterprises").find({ telegramUserId: { $in: userIds } }).toArray();
        return docs.map(
          (d): StoredRecord => ({
            userId: String(d.telegramUserId),
            name: String(d.name),
            taxCode: String(d.taxCode),
            address: String(d.address),
            contactPerson: String(d.contactPerson),
            phone: String(d.phone),
            email: String(d.email),
          }),
        );
      },
      close,
    };
  },
};
