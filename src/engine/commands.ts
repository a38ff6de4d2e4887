/** Global commands (/start, /menu, /help, /cancel, /lang) and flows' own commands. */
import { HELP_FLOW, LANGUAGE_FLOW, MAIN_FLOW } from "./ids.js";
import { ctxOf, currentStep, enterFlow, isInFormWithData, say, showPrompt, toMain, type Stop, type Work } from "./work.js";

/** Commands the engine handles itself; flows may not reuse them. */
export const BUILTIN_COMMANDS: readonly string[] = ["start", "menu", "help", "cancel", "lang"];

/** `/help`: in a flow, what can be done at this step and the commands; elsewhere the help flow. */
function contextHelp(w: Work): Stop {
  const step = currentStep(w);
  const flow = w.s.flow === null ? undefined : w.flows.flows.get(w.s.flow);
  if (!step || !flow || flow.id === MAIN_FLOW) return enterFlow(w, HELP_FLOW, undefined);
  const ctx = ctxOf(w);
  const here = step.help ?? flow.help;
  w.replies.push({ text: [here ? ctx.msg(here) : { key: "common:help.here" }, { key: "common:help.commands" }] });
  return showPrompt(w);
}

/** Runs a typed command (`/name args`); unknown ones get a hint. */
export function command(w: Work, text: string): Stop {
  const [head = "", ...rest] = text.slice(1).split(/\s+/);
  const name = head.split("@")[0]!.toLowerCase();
  const args = rest.join(" ").trim();
  const leaving = () => { if (isInFormWithData(w)) say(w, "common:cancel.form_dropped"); };
  switch (name) {
    case "start":
      say(w, "common:welcome");
      return toMain(w);
    case "menu":
      leaving();
      return toMain(w);
    case "help":
      return contextHelp(w);
    case "cancel":
      say(w, w.s.flow !== null && w.flows.flows.get(w.s.flow)?.form ? "common:cancel.done" : "common:cancel.nothing");
      return toMain(w);
    case "lang":
      leaving();
      return enterFlow(w, LANGUAGE_FLOW, undefined);
  }
  const flowId = w.flows.commands.get(name);
  const flow = flowId === undefined ? undefined : w.flows.flows.get(flowId);
  if (!flow) {
    say(w, "common:errors.unknown_command");
    return showPrompt(w);
  }
  if (flow.staff && !w.isStaff) {
    say(w, "common:errors.not_allowed");
    return showPrompt(w);
  }
  leaving();
  return enterFlow(w, flow.id, undefined, args ? { args } : {});
}
