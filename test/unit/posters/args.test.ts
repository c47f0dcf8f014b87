import { GrammyError } from "grammy";
import { describe, expect, it } from "vitest";
import { DEFAULT_OUT, parsePosterArgs } from "../../../scripts/posters/args.js";
import { botUsername } from "../../../scripts/posters/bot-username.js";

const TOKEN = "7000000001:AAEmulatorTokenForTestsOnly000";

describe("npm run posters: arguments", () => {
  it("takes one selection: clinics (repeated, listed or comma-separated), a settlement, or all", () => {
    expect(parsePosterArgs(["--clinic", "a-1", "--clinic", "b-2,c_3", "d4", "a-1"])).toEqual({
      kind: "run",
      selection: { kind: "clinics", ids: ["a-1", "b-2", "c_3", "d4"] },
      out: DEFAULT_OUT,
      bot: undefined,
    });
    expect(parsePosterArgs(["--settlement", "almaty", "--out", "x", "--bot", "emhana_bot"])).toEqual({
      kind: "run",
      selection: { kind: "settlement", id: "almaty" },
      out: "x",
      bot: "emhana_bot",
    });
    expect(parsePosterArgs(["--all"])).toMatchObject({ kind: "run", selection: { kind: "all" } });
    expect(parsePosterArgs(["-h"])).toEqual({ kind: "help" });
  });

  it("says what is wrong with a bad command line in one plain line", () => {
    const cases: [string[], RegExp][] = [
      [[], /say which posters/],
      [["--clinic"], /^--clinic needs a value$/],
      [["--all", "--settlement", "almaty"], /^choose one of --settlement, --all$/],
      [["--all", "extra"], /^unexpected argument "extra"$/],
      [["--colour"], /^unknown option --colour$/],
      [["--clinic", "a b"], /"a b" is not a clinic id/],
      [["--clinic", "a,,b"], /"" is not a clinic id/],
      [["--settlement", "a", "--settlement", "b"], /--settlement is given more than once/],
      [["--all", "--out", ""], /--out needs a value/],
    ];
    for (const [argv, problem] of cases) {
      const r = parsePosterArgs(argv);
      expect(r.kind, argv.join(" ")).toBe("bad");
      if (r.kind === "bad") {
        expect(r.problem).toMatch(problem);
        expect(r.problem).not.toContain("\n");
      }
    }
  });
});

describe("npm run posters: the bot's username", () => {
  const me = (username?: string) => async () => (username ? { username } : {});

  it("comes from getMe when BOT_TOKEN is set, else from --bot; neither is one line naming both", async () => {
    expect(await botUsername({ BOT_TOKEN: TOKEN }, undefined, me("emhana_bot"))).toEqual({
      ok: true,
      username: "emhana_bot",
      from: "getMe",
    });
    expect(await botUsername({}, "@emhana_bot", me("unused_bot"))).toEqual({
      ok: true,
      username: "emhana_bot",
      from: "--bot",
    });
    const neither = await botUsername({}, undefined, me("unused_bot"));
    expect(neither).toMatchObject({ ok: false, problem: expect.stringMatching(/--bot <username>.*BOT_TOKEN/) });
  });

  it("refuses a --bot that is not the token's bot, a bad token or username, and a failed getMe", async () => {
    expect(await botUsername({ BOT_TOKEN: TOKEN }, "other_bot", me("emhana_bot"))).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/other_bot is not the bot of BOT_TOKEN \(@emhana_bot\)/),
    });
    expect(await botUsername({ BOT_TOKEN: TOKEN }, "EMHANA_BOT", me("emhana_bot"))).toMatchObject({ ok: true });
    expect(await botUsername({ BOT_TOKEN: "nope" }, undefined, me("emhana_bot"))).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/^BOT_TOKEN: does not look like a bot token/),
    });
    expect(await botUsername({}, "no way", me())).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/^--bot:/),
    });
    const unauthorized = async () => {
      throw new GrammyError(
        "Call to 'getMe' failed!",
        { ok: false, error_code: 401, description: "Unauthorized" },
        "getMe",
        {},
      );
    };
    expect(await botUsername({ BOT_TOKEN: TOKEN }, undefined, unauthorized)).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/^getMe failed \(Unauthorized\)/),
    });
  });
});
