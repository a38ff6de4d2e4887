/**
 * The benchmark baseline: the enterprise registration written the way a developer would without
 * this project — telegraf 4.16 `Scenes.WizardScene`, the default in-memory `session()`, strings
 * inline, and the final record saved with a plain mongoose model to the same database.
 * Same questions and validations as `flows/enterprise.yaml`: consent; name; tax code (10/13
 * digits + check digit); sector; size; address; contact person; phone; email; support
 * interests; confirm.
 */
import mongoose, { Schema, type Connection } from "mongoose";
import { Markup, Scenes, session, Telegraf } from "telegraf";
import { canonicalEmail, canonicalPhone, canonicalTaxCode, plainText } from "./validators.js";

const SECTORS: Record<string, string> = {
  services_tourism: "Dịch vụ, du lịch",
  agro_processing: "Chế biến nông, lâm, thủy sản, thực phẩm",
  fishery_industrial_goods: "Thủy sản, hàng công nghiệp tiêu dùng và xuất khẩu",
  agri_chemicals: "Hóa chất phục vụ nông nghiệp",
  building_materials: "Vật liệu xây dựng",
  handicrafts: "Tiểu thủ công nghiệp",
  other: "Ngành khác",
};
const SIZES: Record<string, string> = { micro: "Siêu nhỏ", small: "Nhỏ", medium: "Vừa", large: "Lớn" };
const INTERESTS: Record<string, string> = {
  policy: "Cơ chế, chính sách",
  communication: "Thông tin, tuyên truyền",
  training: "Đào tạo, tập huấn",
  enterprise_support: "Hỗ trợ doanh nghiệp áp dụng giải pháp",
  capacity_building: "Tư vấn, đánh giá sự phù hợp",
};

/** The answers collected in the wizard's state. */
interface Answers {
  name?: string;
  taxCode?: string;
  sector?: string;
  size?: string;
  address?: string;
  contactPerson?: string;
  phone?: string;
  email?: string;
  interests?: string[];
}

type Ctx = Scenes.WizardContext;

const enterpriseSchema = new Schema(
  {
    telegramUserId: { type: String, required: true },
    name: String,
    taxCode: String,
    sector: String,
    size: String,
    address: String,
    contactPerson: String,
    phone: String,
    email: String,
    interests: [String],
    consentAt: Date,
  },
  { timestamps: true },
);

/** The baseline bot and its database connection. */
export interface BaselineBot {
  readonly bot: Telegraf<Ctx>;
  readonly connection: Connection;
  close(): Promise<void>;
}

function keyboard(entries: Record<string, string>, prefix: string, selected: string[] = []) {
  return Markup.inlineKeyboard(
    Object.entries(entries).map(([id, label]) => [Markup.button.callback(`${selected.includes(id) ? "✅ " : ""}${label}`, `${prefix}:${id}`)]),
  );
}

function state(ctx: Ctx): Answers {
  return ctx.wizard.state as Answers;
}

function typed(ctx: Ctx): string | undefined {
  return ctx.message && "text" in ctx.message ? ctx.message.text : undefined;
}

/** The data of a pressed button with this prefix; answers the press and removes the keyboard. */
async function pressed(ctx: Ctx, prefix: string, keepKeyboard = false): Promise<string | undefined> {
  if (!ctx.callbackQuery || !("data" in ctx.callbackQuery)) return undefined;
  const data = ctx.callbackQuery.data;
  await ctx.answerCbQuery();
  if (!data.startsWith(`${prefix}:`)) return undefined;
  if (!keepKeyboard) await ctx.editMessageReplyMarkup(undefined);
  return data.slice(prefix.length + 1);
}

/** A wizard step asking for free text: validate, store, ask the next question. */
function textStep(field: keyof Answers, parse: (s: string) => string | null, error: string, next: (ctx: Ctx) => Promise<unknown>) {
  return async (ctx: Ctx) => {
    const text = typed(ctx);
    const value = text === undefined ? null : parse(text);
    if (value === null) {
      await ctx.reply(error);
      return;
    }
    (state(ctx) as Record<string, unknown>)[field] = value;
    await next(ctx);
    return ctx.wizard.next();
  };
}

/** Builds the baseline bot against `apiRoot` and connects its mongoose model to `mongoUri`. */
export async function createBaselineBot(options: { token: string; apiRoot: string; mongoUri: string }): Promise<BaselineBot> {
  const connection = mongoose.createConnection(options.mongoUri, { maxPoolSize: 20 });
  await connection.asPromise();
  const Enterprise = connection.model("BaselineEnterprise", enterpriseSchema, "baseline_enterprises");

  const wizard = new Scenes.WizardScene<Ctx>(
    "enterprise",
    async (ctx) => {
      await ctx.reply(
        "Để đăng ký, chúng tôi cần thu thập thông tin doanh nghiệp và người liên hệ để Sở KHCN liên hệ hỗ trợ. Bạn có đồng ý không?",
        Markup.inlineKeyboard([[Markup.button.callback("Đồng ý", "consent:yes"), Markup.button.callback("Không", "consent:no")]]),
      );
      return ctx.wizard.next();
    },
    async (ctx) => {
      const answer = await pressed(ctx, "consent");
      if (answer === "no") {
        await ctx.reply("Đã hủy đăng ký.");
        return ctx.scene.leave();
      }
      if (answer !== "yes") {
        await ctx.reply("Vui lòng chọn Đồng ý hoặc Không.");
        return;
      }
      await ctx.reply("Tên doanh nghiệp của bạn là gì?");
      return ctx.wizard.next();
    },
    textStep("name", (s) => plainText(s, 2, 200, { needsLetter: true }), "Tên doanh nghiệp không hợp lệ, vui lòng nhập lại.", (ctx) => ctx.reply("Mã số thuế của doanh nghiệp (10 hoặc 13 chữ số)?")),
    textStep("taxCode", canonicalTaxCode, "Mã số thuế không hợp lệ, vui lòng kiểm tra và nhập lại.", (ctx) => ctx.reply("Doanh nghiệp hoạt động trong ngành nào?", keyboard(SECTORS, "sector"))),
    async (ctx) => {
      const sector = await pressed(ctx, "sector");
      if (sector === undefined || !(sector in SECTORS)) {
        await ctx.reply("Vui lòng chọn một ngành.");
        return;
      }
      state(ctx).sector = sector;
      await ctx.reply("Quy mô doanh nghiệp?", keyboard(SIZES, "size"));
      return ctx.wizard.next();
    },
    async (ctx) => {
      const size = await pressed(ctx, "size");
      if (size === undefined || !(size in SIZES)) {
        await ctx.reply("Vui lòng chọn quy mô.");
        return;
      }
      state(ctx).size = size;
      await ctx.reply("Địa chỉ doanh nghiệp?");
      return ctx.wizard.next();
    },
    textStep("address", (s) => plainText(s, 3, 300, { needsLetter: true }), "Địa chỉ không hợp lệ, vui lòng nhập lại.", (ctx) => ctx.reply("Họ tên người liên hệ?")),
    textStep("contactPerson", (s) => plainText(s, 2, 100, { needsLetter: true, noDigits: true }), "Họ tên không hợp lệ, vui lòng nhập lại.", (ctx) => ctx.reply("Số điện thoại di động của người liên hệ?")),
    textStep("phone", canonicalPhone, "Số điện thoại không hợp lệ, vui lòng nhập lại.", (ctx) => ctx.reply("Email liên hệ?")),
    textStep("email", canonicalEmail, "Email không hợp lệ, vui lòng nhập lại.", (ctx) =>
      ctx.reply("Doanh nghiệp quan tâm đến nội dung hỗ trợ nào? Chọn rồi bấm Xong.", {
        reply_markup: { inline_keyboard: [...keyboard(INTERESTS, "interest").reply_markup.inline_keyboard, [Markup.button.callback("Xong", "interest:done")]] },
      }),
    ),
    async (ctx) => {
      const choice = await pressed(ctx, "interest", true);
      const chosen = (state(ctx).interests ??= []);
      if (choice === undefined || (choice !== "done" && !(choice in INTERESTS))) {
        await ctx.reply("Vui lòng chọn nội dung quan tâm.");
        return;
      }
      if (choice !== "done") {
        if (chosen.includes(choice)) chosen.splice(chosen.indexOf(choice), 1);
        else chosen.push(choice);
        await ctx.editMessageReplyMarkup({ inline_keyboard: [...keyboard(INTERESTS, "interest", chosen).reply_markup.inline_keyboard, [Markup.button.callback("Xong", "interest:done")]] });
        return;
      }
      if (chosen.length === 0) {
        await ctx.reply("Vui lòng chọn ít nhất một nội dung.");
        return;
      }
      await ctx.editMessageReplyMarkup(undefined);
      const a = state(ctx);
      await ctx.reply(
        `Vui lòng xác nhận thông tin:\nTên: ${a.name}\nMã số thuế: ${a.taxCode}\nNgành: ${SECTORS[a.sector ?? ""]}\nQuy mô: ${SIZES[a.size ?? ""]}\nĐịa chỉ: ${a.address}\nNgười liên hệ: ${a.contactPerson}\nĐiện thoại: ${a.phone}\nEmail: ${a.email}\nQuan tâm: ${chosen.map((c) => INTERESTS[c]).join(", ")}`,
        Markup.inlineKeyboard([[Markup.button.callback("Xác nhận", "confirm:yes"), Markup.button.callback("Hủy", "confirm:no")]]),
      );
      return ctx.wizard.next();
    },
    async (ctx) => {
      const answer = await pressed(ctx, "confirm");
      if (answer === "no") {
        await ctx.reply("Đã hủy đăng ký.");
        return ctx.scene.leave();
      }
      if (answer !== "yes") {
        await ctx.reply("Vui lòng bấm Xác nhận hoặc Hủy.");
        return;
      }
      await Enterprise.create({ ...state(ctx), telegramUserId: String(ctx.from?.id), consentAt: new Date() });
      await ctx.reply("Cảm ơn! Sở KHCN đã nhận đăng ký của doanh nghiệp.");
      return ctx.scene.leave();
    },
  );

  const bot = new Telegraf<Ctx>(options.token, { telegram: { apiRoot: options.apiRoot } });
  const stage = new Scenes.Stage<Ctx>([wizard]);
  bot.use(session());
  bot.use(stage.middleware());
  bot.start((ctx) => ctx.reply("Xin chào! Bạn muốn làm gì?", Markup.inlineKeyboard([[Markup.button.callback("Đăng ký doanh nghiệp", "menu:enterprise")]])));
  bot.action("menu:enterprise", async (ctx) => {
    await ctx.answerCbQuery();
    await ctx.editMessageReplyMarkup(undefined);
    await ctx.scene.enter("enterprise");
  });
  bot.catch(async (error, ctx) => {
    console.error("baseline handler error", error instanceof Error ? error.message : String(error));
    await ctx.reply("Đã có lỗi, vui lòng thử lại.").catch(() => undefined);
  });

  return { bot, connection, close: () => connection.close() };
}
