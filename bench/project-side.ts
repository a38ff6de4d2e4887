import type { Side } from "./side.js";

/** The project's bot (real app, real telegraf adapter, sessions in the database) as a benchmark side. */
export const projectSide: Side = {
  name: "project",
  choices: {
    menuEnterprise: () => false,
    consentYes: () => false,
    sector: () => false,
    size: () => false,
    interest: () => false,
    interestsDone: null,
    confirmYes: () => false,
  },
  async start() {
    throw new Error("the project side is not wired yet");
  },
};
