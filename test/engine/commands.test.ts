import { describe, expect, it } from "vitest";
import { Driver, deps, flowsFrom, HELP, keys, LANGUAGE, lastChoices, MAIN, standardFlows } from "./helpers.js";

function inForm() {
  const d = new Driver(standardFlows(), deps(), { save_reg: () => ({}) });
  d.text("/start");
  d.press("register");
  d.text("Anh");
  return d;
}

describe("global commands", () => {
  it("/start welcomes and shows the main menu, from anywhere", () => {
    const d = inForm();
    expect(keys(d.text("/start"))).toEqual(["common:welcome", "t:menu.text"]);
    expect(d.session).toMatchObject({ flow: "main", step: "menu", data: {} });
  });

  it("/menu returns to the main menu and says a half-filled form was dropped", () => {
    const d = inForm();
    expect(keys(d.text("/menu"))).toEqual(["common:cancel.form_dropped", "t:menu.text"]);
    expect(d.session?.data).toEqual({});
    const e = new Driver(standardFlows());
    e.text("/start");
    e.press("info");
    expect(keys(e.text("/MENU"))).toEqual(["t:menu.text"]);
  });

  it("/cancel in a form drops its data and says so; outside a form says there is nothing", () => {
    const d = inForm();
    expect(d.session?.data).toEqual({ name: "Anh" });
    expect(keys(d.text("/cancel"))).toEqual(["common:cancel.done", "t:menu.text"]);
    expect(d.session).toMatchObject({ flow: "main", data: {} });
    expect(d.actionsRun).toEqual([]);
    expect(keys(d.text("/cancel"))).toEqual(["common:cancel.nothing", "t:menu.text"]);
  });

  it("/help in a form explains this step (step help, else flow help) and asks again", () => {
    const d = inForm();
    expect(keys(d.text("/help"))).toEqual(["t:reg.email_help", "common:help.commands", "t:reg.email"]);
    d.press("skip");
    expect(keys(d.text("/help"))).toEqual(["t:reg.help", "common:help.commands", "t:reg.support", "common:menu.multi_hint"]);
    expect(d.session?.step).toBe("support");
  });

  it("/help in a flow without help text uses the generic one; at the main menu opens the help flow", () => {
    const d = new Driver(standardFlows());
    d.text("/start");
    d.press("info");
    expect(keys(d.text("/help"))).toEqual(["common:help.here", "common:help.commands", "t:info.menu"]);
    d.text("/menu");
    expect(keys(d.text("/help"))).toEqual(["t:help.intro", "t:menu.text"]);
  });

  it("/lang opens the language menu; the choice is remembered", () => {
    const d = new Driver(standardFlows());
    d.text("/start");
    expect(keys(d.text("/lang"))).toEqual(["t:lang.prompt"]);
    expect(keys(d.text("English"))).toEqual(["t:lang.changed", "t:menu.text"]);
    expect(d.session?.locale).toBe("en");
    d.text("/menu");
    expect(d.session?.locale).toBe("en");
  });

  it("Back after a command that left a form does not lead into the dropped form", () => {
    const d = inForm();
    d.press("skip");
    expect(keys(d.text("/lang"))).toEqual(["common:cancel.form_dropped", "t:lang.prompt"]);
    expect(keys(d.press("back"))).toEqual(["t:menu.text"]);
    expect(d.session).toMatchObject({ flow: "main", data: {} });
  });

  it("a flow's command enters it; text after the command is data.args; /cmd@bot works", () => {
    const d = new Driver(standardFlows());
    d.text("/start");
    expect(keys(d.text("/info@nscl_bot"))).toEqual(["t:info.menu"]);
    expect(keys(d.text("/register  now please"))).toEqual(["t:reg.name"]);
    expect(d.session?.data).toEqual({ args: "now please" });
  });

  it("an unknown command gets a hint and the current question again", () => {
    const d = inForm();
    expect(keys(d.text("/frobnicate"))).toEqual(["common:errors.unknown_command", "t:reg.email"]);
    expect(d.session?.data).toEqual({ name: "Anh" });
  });

  it("staff flows refuse non-staff neutrally and admit staff", () => {
    const d = new Driver(standardFlows());
    d.text("/start");
    expect(keys(d.text("/admin"))).toEqual(["common:errors.not_allowed", "t:menu.text"]);
    const s = new Driver(standardFlows(), deps(), {}, true);
    s.text("/start");
    expect(keys(s.text("/admin"))).toEqual(["t:admin.hello", "t:menu.text"]);
  });

  it("a menu choice into a staff flow is refused for non-staff", () => {
    const flows = flowsFrom(MAIN, HELP, LANGUAGE, "id: info\nstaff: true\nstart: s\nsteps:\n  - { id: s, type: end, text: t:secret }\n");
    const d = new Driver(flows);
    d.text("/start");
    expect(keys(d.press("info"))).toEqual(["common:errors.not_allowed", "t:menu.text"]);
  });

  it("choices in a form never trigger commands; a command mid-question is still a command", () => {
    const d = inForm();
    expect(lastChoices(d.replies)).toEqual(["skip"]);
    expect(keys(d.text("/menu"))[1]).toBe("t:menu.text");
  });
});
